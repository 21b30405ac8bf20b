"""The default chapters of a Wijkuitvoeringsplan: (title, guide, codes of the knooppunten that
feed it). In our own words. The data migration creates them when there are none; the command
`default_hoofdstukken` (run by `make run` after load_kompas) links the knooppunten."""

from __future__ import annotations

HOOFDSTUKKEN = [
    (
        "Het gebied en zijn karakter",
        "Beschrijf de wijk: de grenzen, de gebouwen en wie er wonen en werken. Wat maakt deze wijk "
        "anders dan andere? Noem de koppelkansen die het team zag.",
        ["1.02", "2.01", "2.03", "2.04", "2.08", "2.09", "2.13", "2.16"],
    ),
    (
        "Doel en toekomstbeeld",
        "Schrijf op waar het team naartoe werkt en waarom. Gebruik het verhaal van het project en "
        "het toekomstbeeld dat u samen met de wijk maakte.",
        ["1.01", "1.11", "1.16", "2.13"],
    ),
    (
        "De warmteoplossing en de afgewogen alternatieven",
        "Welke warmteoplossing kiest u, en welke andere mogelijkheden heeft het team bekeken? "
        "Leg uit waarom de keuze zo uitviel, met de kosten voor alle partijen.",
        ["2.06", "3.01", "3.02", "3.05", "4.01", "4.09"],
    ),
    (
        "Bewoners en vastgoedeigenaren: participatie en draagvlak",
        "Hoe deden bewoners en eigenaren mee, en wat deed het team met hun inbreng? Hoe groot is het draagvlak nu?",
        ["1.04", "1.07", "1.13", "2.02", "3.04", "3.16", "4.04", "4.15"],
    ),
    (
        "Betaalbaarheid en financiering",
        "Wat kost de overstap voor huurders, eigenaar-bewoners en andere eigenaren? Welke afspraken "
        "en regelingen maken het betaalbaar, ook voor wie weinig geld heeft?",
        ["2.10", "2.11", "3.07", "3.13", "4.06", "4.07", "5.05", "5.18"],
    ),
    (
        "Aanbod per gebouwtype",
        "Welke maatregelen krijgt elk soort gebouw, en wie biedt ze aan? Denk ook aan huurwoningen, "
        "VvE's en zakelijk vastgoed.",
        ["3.08", "3.09", "3.10", "3.15", "5.02", "5.04"],
    ),
    (
        "Energie-infrastructuur",
        "Wat moet er aan de netten gebeuren: een warmtenet, een sterker elektriciteitsnet, het "
        "weghalen van het gasnet? Wie is eigenaar en wie beheert?",
        ["2.05", "2.07", "3.11", "3.12", "4.10", "5.07"],
    ),
    (
        "Besluitvorming en planning",
        "Welke besluiten zijn genomen en welke komen nog? Geef de planning op hoofdlijnen en zeg "
        "wanneer het aardgas stopt.",
        ["3.06", "4.05", "4.14", "4.16", "5.01", "5.06", "5.17"],
    ),
    (
        "Monitoring en nazorg",
        "Hoe volgt het team de voortgang en de betaalbaarheid na de overstap? Wat regelt u voor "
        "bewoners na de verbouwing?",
        ["5.13", "6.08", "6.09", "6.10", "6.13"],
    ),
]


def link_knooppunten(hoofdstuk_model, knooppunt_model) -> int:
    """Link every default chapter that has no knooppunten yet to the codes that exist. Works with
    the real models and with the historical models of a migration. Returns how many it linked."""
    codes = {title: codes for title, _guide, codes in HOOFDSTUKKEN}
    linked = 0
    for hoofdstuk in hoofdstuk_model.objects.filter(title__in=codes, knooppunten__isnull=True):
        knooppunten = list(knooppunt_model.objects.filter(code__in=codes[hoofdstuk.title]))
        if knooppunten:
            hoofdstuk.knooppunten.set(knooppunten)
            linked += 1
    return linked


def create_defaults(hoofdstuk_model, knooppunt_model) -> None:
    if not hoofdstuk_model.objects.exists():
        for order, (title, guide, _codes) in enumerate(HOOFDSTUKKEN, start=1):
            hoofdstuk_model.objects.create(title=title, guide=guide, order=order * 10)
    link_knooppunten(hoofdstuk_model, knooppunt_model)
