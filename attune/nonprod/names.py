"""Names for the region-scale dataset, spread as names are in a real region: a few common ones
(Smith, Khan, Jones) and a long tail, with the ones that trip a search up (O'Neill, McDonald and
Macdonald, Smith-Jones, accents). Drawn from their own seeded generator (region._Builder), so the
rest of the region is the same whichever names are drawn."""

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = _words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White "
    "Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore "
    "Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James Bennett Young Phillips "
    "Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Marshall Simpson "
    "Anderson Ali Chapman Ellis Mason Webb Hussain Ahmed Holmes Rogers Gray Hunt Knight Lloyd Butler Russell "
    "Barker Stevens Jenkins Murphy Dixon Palmer Griffiths Pearson Fisher Walsh Kaur Ashworth Whittaker Haworth "
    "Butterworth Hargreaves Greenwood Sutcliffe Pickup Duckworth Holden Entwistle Riley Ormerod Cunliffe Kenyon "
    "Nuttall Lord Crossley Ingham Whiteside Howarth Marsden Schofield Halliwell Pilkington Rawcliffe Threlfall "
    "Sharples Tomlinson Tattersall Fletcher Dewhurst Bradshaw Heyes Rigby Shorrock Aspinall Livesey Hindle "
    "O'Neill O'Brien O'Connor O'Sullivan D'Souza McDonald Macdonald McKenzie Mackenzie MacLeod McLeod McCann "
    "Smith-Jones Hughes-Davies Lloyd-Williams Patel-Shah Brontë Nowak Kowalski Wiśniewska Lewandowski "
    "Mahmood Iqbal Akhtar Rahman Islam Hassan Mirza Chaudhry Malik Bibi Rashid Uddin Mistry Parmar Chauhan "
    "Okafor Adeyemi Mensah Owusu Nguyen Chen Wang Li Zhang Kaya Yilmaz Silva Santos Costa Ferreira Dubois"
)

CARER_NAMES = _words(
    "Amy Sana Chloe Laura Ellie Hannah Zainab Megan Jade Aisha Kirsty Tia Sophie Emma Olivia Jessica Charlotte "
    "Lauren Rebecca Gemma Stacey Danielle Natalie Leanne Kayleigh Shannon Courtney Bethany Abigail Georgia Holly "
    "Katie Rachel Sarah Lucy Amber Paige Chelsea Naomi Fatima Maryam Ayesha Hafsa Khadija Noor Amina Saima "
    "Nadia Priya Anjali Roxanne Zoë Chloë Siobhán Aoife Niamh Agnieszka Katarzyna Joanna Oluwaseun Chipo Mei"
)
PARTNER_NAMES = _words(
    "Liam Ryan Imran Daniel Jack Tom Adam Luke James Connor Callum Jordan Kieran Nathan Jamie Josh Aaron Ben "
    "Sam Chris Mohammed Bilal Hamza Usman Zain Arjun Ravi Tomasz Piotr Kwame Dominic Seán Oisín"
)
BABY_NAMES = _words(
    "Isla Leo Ava Noah Ruby Alfie Zara Freddie Maisie Mason Poppy Jacob Olivia Amelia Lily Grace Evie Ivy "
    "Freya Rosie Willow Daisy Florence Harper Sienna Aria Maryam Hafsa Aisha Oliver George Arthur Theo Oscar "
    "Archie Harry Muhammad Jack Charlie Henry Louie Finley Teddy Reggie Ezra Yusuf Ibrahim Zayn Ayaan Chloé "
    "Zoë Niamh Ellis Rory Luca Mila Hallie Ottilie Elodie"
)


def _zipf(count: int, exponent: float = 0.9) -> list[float]:
    """Weights falling with rank, as surnames do: the first few common, a long tail."""
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


class Names:
    """A seeded generator of names, apart from the one that draws everything else."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.surname_weights = _zipf(len(SURNAMES))

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, weights=self.surname_weights)[0]

    def carer(self) -> str:
        return self.rng.choice(CARER_NAMES)

    def partner(self) -> str:
        return self.rng.choice(PARTNER_NAMES)

    def baby(self) -> str:
        return self.rng.choice(BABY_NAMES)
