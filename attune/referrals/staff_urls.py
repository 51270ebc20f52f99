
app_name = "referrals"
urlpatterns: list = []  # type: ignore[type-arg]
