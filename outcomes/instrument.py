"""The core digital-adoption questions: the indicators every cohort is measured on.

Each core question has a stable key. Its wording and answer codes live here (translated like
the rest of the interface); a survey version lists which core keys it asks, and programme
questions are added next to them in the database. An answer code, once used, keeps its
meaning: a changed question gets a new key, never a new meaning for an old code.

The categories follow the wording of BPS's e-commerce statistics where there is one (sales
media, orders received through the internet, digital payments, the micro-enterprise size band of
1–4 workers), so that cohort figures can be set beside national ones.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MAX_QUESTIONS = 12

PRESENCE = "presence"
ACTIVE_USE = "active_use"
RESULTS = "results"
STAGES = {
    PRESENCE: _("Online presence"),
    ACTIVE_USE: _("Active use in the last 30 days"),
    RESULTS: _("Business results"),
}

SINGLE = "single"
MULTI = "multi"


@dataclass(frozen=True)
class CoreQuestion:
    key: str
    stage: str
    kind: str
    text: str
    choices: tuple  # (code, label) pairs, in order; band codes are ordered low to high
    help_text: str = ""
    # Codes that are an answer but not a band (e.g. "rather not say"): left out of band shifts.
    unbanded: tuple = field(default=())
    # A multi-choice code that cannot be ticked with any other.
    exclusive: str = ""
    evidence: bool = False


YES_NO = (("yes", _("Yes")), ("no", _("No")))

CORE_QUESTIONS = (
    CoreQuestion(
        key="presence",
        stage=PRESENCE,
        kind=MULTI,
        text=_("Which of these does your business have now?"),
        help_text=_("Tick all that apply."),
        choices=(
            ("wa_catalog", _("WhatsApp Business with a product catalogue")),
            (
                "social_account",
                _("A business account on social media (Instagram, Facebook, TikTok)"),
            ),
            ("marketplace", _("A shop on a marketplace (Shopee, Tokopedia, Bukalapak, …)")),
            ("google_profile", _("A Google Business Profile (shows on Google Maps)")),
            ("qris", _("Accepts QRIS or e-wallet payments")),
            ("none", _("None of these yet")),
        ),
        exclusive="none",
        evidence=True,
    ),
    CoreQuestion(
        key="content_posts",
        stage=ACTIVE_USE,
        kind=SINGLE,
        text=_("In the last 30 days, how often did you post photos or videos of your products?"),
        choices=(
            ("0", _("Not at all")),
            ("1-3", _("1 to 3 times")),
            ("4-10", _("4 to 10 times")),
            ("11+", _("More than 10 times")),
        ),
    ),
    CoreQuestion(
        key="online_orders",
        stage=ACTIVE_USE,
        kind=SINGLE,
        text=_(
            "In the last 30 days, how many orders did you receive through the internet "
            "(WhatsApp, social media, marketplace, website)?"
        ),
        choices=(
            ("0", _("None")),
            ("1-10", _("1 to 10")),
            ("11-50", _("11 to 50")),
            ("51-100", _("51 to 100")),
            ("101+", _("More than 100")),
        ),
        evidence=True,
    ),
    CoreQuestion(
        key="digital_payments",
        stage=ACTIVE_USE,
        kind=SINGLE,
        text=_(
            "In the last 30 days, did you receive digital payments (bank transfer, QRIS, e-wallet)?"
        ),
        choices=YES_NO,
    ),
    CoreQuestion(
        key="bookkeeping",
        stage=ACTIVE_USE,
        kind=SINGLE,
        text=_("How do you record your business income and spending?"),
        choices=(
            ("none", _("I do not record them")),
            ("paper", _("In a notebook")),
            ("spreadsheet", _("In a spreadsheet (Excel, Google Sheets)")),
            ("app", _("In a bookkeeping app")),
        ),
    ),
    CoreQuestion(
        key="paid_ads",
        stage=ACTIVE_USE,
        kind=SINGLE,
        text=_("In the last 30 days, did you try paid ads (for example Facebook/Instagram ads)?"),
        choices=YES_NO,
    ),
    CoreQuestion(
        key="revenue",
        stage=RESULTS,
        kind=SINGLE,
        text=_("About how much does your business sell in a month (omzet)?"),
        choices=(
            ("lt5", _("Less than Rp 5 million")),
            ("5-15", _("Rp 5 to 15 million")),
            ("15-50", _("Rp 15 to 50 million")),
            ("50-150", _("Rp 50 to 150 million")),
            ("150+", _("More than Rp 150 million")),
            ("unsaid", _("I don't know / rather not say")),
        ),
        unbanded=("unsaid",),
    ),
    CoreQuestion(
        key="online_share",
        stage=RESULTS,
        kind=SINGLE,
        text=_("About what share of your sales comes from online orders?"),
        choices=(
            ("0", _("None")),
            ("1-24", _("Less than a quarter")),
            ("25-49", _("A quarter to a half")),
            ("50-74", _("Half to three quarters")),
            ("75+", _("More than three quarters")),
        ),
    ),
    CoreQuestion(
        key="workers",
        stage=RESULTS,
        kind=SINGLE,
        text=_("How many people work in your business, including you?"),
        choices=(
            ("1", _("Only me")),
            ("2-4", _("2 to 4 people")),
            ("5-19", _("5 to 19 people")),
            ("20+", _("20 people or more")),
        ),
    ),
    CoreQuestion(
        key="customers_outside",
        stage=RESULTS,
        kind=SINGLE,
        text=_("In the last 30 days, did you have buyers from outside your regency or city?"),
        choices=(("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))),
    ),
)

CORE = {q.key: q for q in CORE_QUESTIONS}
CORE_KEYS = tuple(CORE)


# --- Indicators ---------------------------------------------------------------------
# Yes/no indicators reported as "share of respondents", in report order. Each is stored as
# a column on the response (see models.Response) when the response is submitted.


@dataclass(frozen=True)
class Indicator:
    key: str
    stage: str
    label: str


INDICATORS = (
    Indicator("has_wa_catalog", PRESENCE, _("WhatsApp Business with catalogue")),
    Indicator("has_social_account", PRESENCE, _("Business account on social media")),
    Indicator("has_marketplace", PRESENCE, _("Marketplace shop")),
    Indicator("has_google_profile", PRESENCE, _("Google Business Profile")),
    Indicator("accepts_qris", PRESENCE, _("Accepts QRIS or e-wallet")),
    Indicator("posted_content", ACTIVE_USE, _("Posted product content")),
    Indicator("online_orders", ACTIVE_USE, _("Received orders online")),
    Indicator("digital_payments", ACTIVE_USE, _("Received digital payments")),
    Indicator("digital_bookkeeping", ACTIVE_USE, _("Bookkeeping in an app or spreadsheet")),
    Indicator("paid_ads", ACTIVE_USE, _("Tried paid ads")),
    Indicator("customers_outside", RESULTS, _("Buyers outside the regency")),
)
INDICATOR_KEYS = tuple(i.key for i in INDICATORS)

# Banded answers reported as distributions (and, for revenue, a shift between bands).
BANDS = ("revenue", "online_share", "workers", "online_orders")

LADDER = (
    (0, _("Not online yet")),
    (1, _("Present online")),
    (2, _("Active online")),
    (3, _("Selling online")),
)
LADDER_HELP = _(
    "Present: has at least one of the presence items. Active: present, and in the last 30 "
    "days posted content, received a digital payment or an online order. Selling: received "
    "online orders and some of the sales come from online."
)


def band_codes(key: str) -> tuple:
    """The ordered band codes of a banded core question (without 'rather not say')."""
    question = CORE[key]
    return tuple(code for code, _label in question.choices if code not in question.unbanded)


def indicators_from_answers(answers: dict) -> dict:
    """Column values for a submitted response, from its core answers (keyed by core key).

    A question that was not asked or not answered gives None for what it feeds, so a
    missing answer never counts as "no".
    """
    presence = answers.get("presence")
    posts = answers.get("content_posts")
    orders = answers.get("online_orders")
    payments = answers.get("digital_payments")
    books = answers.get("bookkeeping")
    ads = answers.get("paid_ads")
    outside = answers.get("customers_outside")

    def has(code):
        return None if presence is None else code in presence

    def yes(value):
        return None if value is None else value == "yes"

    values = {
        "has_wa_catalog": has("wa_catalog"),
        "has_social_account": has("social_account"),
        "has_marketplace": has("marketplace"),
        "has_google_profile": has("google_profile"),
        "accepts_qris": has("qris"),
        "posted_content": None if posts is None else posts != "0",
        "online_orders": None if orders is None else orders != "0",
        "digital_payments": yes(payments),
        "digital_bookkeeping": None if books is None else books in ("spreadsheet", "app"),
        "paid_ads": yes(ads),
        "customers_outside": None if outside in (None, "unknown") else outside == "yes",
    }
    for key in BANDS:
        code = answers.get(key)
        codes = band_codes(key)
        values[f"{key}_band"] = codes.index(code) if code in codes else None
    values["ladder"] = ladder_level(presence, values)
    return values


def ladder_level(presence, values: dict) -> int | None:
    if presence is None:
        return None
    present = any(code != "none" for code in presence)
    if not present:
        return 0
    active = values["posted_content"] or values["digital_payments"] or values["online_orders"]
    if not active:
        return 1
    selling = values["online_orders"] and (values.get("online_share_band") or 0) > 0
    return 3 if selling else 2
