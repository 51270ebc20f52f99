"""Lookups the reports need: postcode to LSOA, and each LSOA's deprivation rank and decile
(domain reference B.6). Loaded from ONS and MHCLG files by management commands; no personal data."""

from django.db import models


class LsoaVintage(models.TextChoices):
    LSOA2011 = "2011", "2011 LSOAs"
    LSOA2021 = "2021", "2021 LSOAs"


class Edition(models.TextChoices):
    """English Indices of Deprivation: IoD2025 (published 30 October 2025) ranks the 33,755 LSOAs
    of 2021; IoD2019 the 32,844 LSOAs of 2011. https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025"""

    IOD2025 = "IoD2025", "English Indices of Deprivation 2025"
    IOD2019 = "IoD2019", "English Indices of Deprivation 2019"


class PostcodeLsoa(models.Model):
    """One postcode's LSOA (the one holding most of its residents) in one LSOA vintage."""

    id = models.BigAutoField(primary_key=True)
    postcode = models.CharField(max_length=8)  # as attune.core.validators.normalise_postcode gives
    lsoa_code = models.CharField(max_length=9)
    vintage = models.CharField(max_length=4, choices=LsoaVintage.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vintage", "postcode"], name="postcode_lsoa_unique")]

    def __str__(self) -> str:
        return f"{self.postcode} in {self.lsoa_code} ({self.vintage})"


class DeprivationRank(models.Model):
    """An LSOA's Index of Multiple Deprivation rank (1 = most deprived) and decile (1 = most
    deprived 10%) in one edition."""

    id = models.BigAutoField(primary_key=True)
    edition = models.CharField(max_length=8, choices=Edition.choices)
    lsoa_code = models.CharField(max_length=9)
    rank = models.PositiveIntegerField()
    decile = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "lsoa_code"], name="deprivation_rank_unique"),
            models.CheckConstraint(condition=models.Q(decile__gte=1, decile__lte=10), name="deprivation_decile_1_10"),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code}: decile {self.decile} ({self.edition})"


class ReportSnapshot(models.Model):
    """A finished report's exact figures for a period that has closed, kept so the next reader
    need not work them out again (attune/reports/snapshots.py says when they are reused)."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=64, unique=True)  # the scope, period and report code, digested
    start = models.DateField()
    end = models.DateField()
    built_at = models.DateTimeField()  # when the figures were worked out
    checked_at = models.DateTimeField()  # when changes inside the period were last looked for
    payload = models.BinaryField()
    signature = models.CharField(max_length=64)  # HMAC of the payload with the secret key

    def __str__(self) -> str:
        return f"Report {self.start} to {self.end}, worked out {self.built_at:%Y-%m-%d %H:%M}"
