"""The organisation: the seven departments, Paris and the centres, the institutes."""

from dataclasses import dataclass

from cursus.catalogue.actions import create_centre, create_department, create_institute
from cursus.catalogue.models import CentreKind
from cursus.demo.steps.context import BuildContext
from cursus.demo.steps.names import STREET_KINDS, STREET_NAMES


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    slug: str
    name_fr: str
    name_en: str
    # Two letters used in the codes of the department's activity units (UASI05).
    activity_tag: str


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("economie-gestion", "Économie et gestion", "Economics and management", "EG"),
    DepartmentSpec("informatique", "Informatique", "Computer science", "SI"),
    DepartmentSpec("travail-entreprise", "Travail et entreprise", "Work and enterprise", "TE"),
    DepartmentSpec("mathematiques", "Mathématiques", "Mathematics", "MA"),
    DepartmentSpec(
        "physique-electronique", "Physique et électronique", "Physics and electronics", "PE"
    ),
    DepartmentSpec(
        "genie-mecanique-materiaux",
        "Génie, mécanique et matériaux",
        "Engineering, mechanics and materials",
        "GM",
    ),
    DepartmentSpec(
        "sciences-chimiques-biologiques-nucleaires",
        "Sciences chimiques, biologiques et nucléaires",
        "Chemical, biological and nuclear sciences",
        "CB",
    ),
)


@dataclass(frozen=True, slots=True)
class CentreSpec:
    code: str
    name: str
    kind: str
    city: str
    region: str
    postcode: str
    country: str = "FR"
    time_zone: str = "Europe/Paris"
    # How many learners, relatively, call this centre home.
    weight: int = 1


PARIS = CentreSpec(
    "paris", "Cnam Paris", CentreKind.SEAT, "Paris", "Île-de-France", "75003", weight=60
)

REGIONAL_CENTRES: tuple[CentreSpec, ...] = tuple(
    CentreSpec(code, f"Cnam {city}", CentreKind.REGIONAL, city, region, postcode, "FR", zone, w)
    for code, city, region, postcode, zone, w in (
        ("lyon", "Lyon", "Auvergne-Rhône-Alpes", "69007", "Europe/Paris", 12),
        ("lille", "Lille", "Hauts-de-France", "59000", "Europe/Paris", 10),
        ("bordeaux", "Bordeaux", "Nouvelle-Aquitaine", "33000", "Europe/Paris", 9),
        ("toulouse", "Toulouse", "Occitanie", "31000", "Europe/Paris", 9),
        ("marseille", "Marseille", "Provence-Alpes-Côte d'Azur", "13001", "Europe/Paris", 9),
        ("nantes", "Nantes", "Pays de la Loire", "44000", "Europe/Paris", 8),
        ("strasbourg", "Strasbourg", "Grand Est", "67000", "Europe/Paris", 6),
        ("rennes", "Rennes", "Bretagne", "35000", "Europe/Paris", 6),
        ("montpellier", "Montpellier", "Occitanie", "34000", "Europe/Paris", 6),
        ("nice", "Nice", "Provence-Alpes-Côte d'Azur", "06000", "Europe/Paris", 4),
        ("grenoble", "Grenoble", "Auvergne-Rhône-Alpes", "38000", "Europe/Paris", 5),
        ("rouen", "Rouen", "Normandie", "76000", "Europe/Paris", 4),
        ("dijon", "Dijon", "Bourgogne-Franche-Comté", "21000", "Europe/Paris", 3),
        ("orleans", "Orléans", "Centre-Val de Loire", "45000", "Europe/Paris", 3),
        (
            "clermont-ferrand",
            "Clermont-Ferrand",
            "Auvergne-Rhône-Alpes",
            "63000",
            "Europe/Paris",
            3,
        ),
        ("limoges", "Limoges", "Nouvelle-Aquitaine", "87000", "Europe/Paris", 2),
        ("poitiers", "Poitiers", "Nouvelle-Aquitaine", "86000", "Europe/Paris", 2),
        ("reims", "Reims", "Grand Est", "51100", "Europe/Paris", 3),
        ("amiens", "Amiens", "Hauts-de-France", "80000", "Europe/Paris", 2),
        ("caen", "Caen", "Normandie", "14000", "Europe/Paris", 3),
        ("besancon", "Besançon", "Bourgogne-Franche-Comté", "25000", "Europe/Paris", 2),
        ("metz", "Metz", "Grand Est", "57000", "Europe/Paris", 3),
        ("brest", "Brest", "Bretagne", "29200", "Europe/Paris", 2),
        ("angouleme", "Angoulême", "Nouvelle-Aquitaine", "16000", "Europe/Paris", 2),
        ("la-reunion", "Saint-Denis", "La Réunion", "97400", "Indian/Reunion", 3),
        ("guadeloupe", "Pointe-à-Pitre", "Guadeloupe", "97110", "America/Guadeloupe", 2),
        ("martinique", "Fort-de-France", "Martinique", "97200", "America/Martinique", 2),
    )
)

CENTRES_ABROAD: tuple[CentreSpec, ...] = (
    CentreSpec(
        "liban", "Cnam Liban", CentreKind.ABROAD, "Beyrouth", "", "", "LB", "Asia/Beirut", 4
    ),
    CentreSpec(
        "maroc", "Cnam Maroc", CentreKind.ABROAD, "Casablanca", "", "", "MA", "Africa/Casablanca", 3
    ),
    CentreSpec(
        "madagascar",
        "Cnam Madagascar",
        CentreKind.ABROAD,
        "Antananarivo",
        "",
        "",
        "MG",
        "Indian/Antananarivo",
        2,
    ),
    CentreSpec(
        "chine", "Cnam Chine", CentreKind.ABROAD, "Shanghai", "", "", "CN", "Asia/Shanghai", 1
    ),
    CentreSpec(
        "cote-divoire",
        "Cnam Côte d'Ivoire",
        CentreKind.ABROAD,
        "Abidjan",
        "",
        "",
        "CI",
        "Africa/Abidjan",
        2,
    ),
)

CENTRES: tuple[CentreSpec, ...] = (PARIS, *REGIONAL_CENTRES, *CENTRES_ABROAD)


@dataclass(frozen=True, slots=True)
class InstituteSpec:
    code: str
    name: str
    sector: str
    description: str
    centres: tuple[str, ...]
    # The unit prefixes the institute teaches.
    prefixes: tuple[str, ...]


INSTITUTES: tuple[InstituteSpec, ...] = (
    InstituteSpec(
        "intec",
        "Intec — Institut national des techniques économiques et comptables",
        "Comptabilité et gestion",
        "Prépare aux métiers de la comptabilité et de l'expertise comptable, en cours du soir "
        "comme à distance.",
        ("paris", "lyon", "lille", "bordeaux", "toulouse", "nantes", "marseille", "liban", "maroc"),
        ("CFA", "GFN"),
    ),
    InstituteSpec(
        "enjmin",
        "Enjmin — École nationale du jeu et des médias interactifs numériques",
        "Jeux vidéo et médias interactifs",
        "Forme aux métiers du jeu vidéo et des médias interactifs : conception, programmation, "
        "son, ergonomie et production.",
        ("angouleme", "paris"),
        ("JEU",),
    ),
    InstituteSpec(
        "ich",
        "ICH — Institut d'études économiques et juridiques appliquées à la construction et à "
        "l'habitation",
        "Droit immobilier",
        "Forme les professionnels de l'immobilier : droit de la construction, de l'urbanisme, "
        "de la copropriété et gestion.",
        ("paris", "lyon", "bordeaux", "marseille", "nantes", "lille", "toulouse", "strasbourg"),
        ("DRM",),
    ),
    InstituteSpec(
        "enass",
        "ENASS — École nationale d'assurances",
        "Assurance",
        "L'école des métiers de l'assurance : droit, souscription, gestion des sinistres et "
        "distribution.",
        ("paris", "lyon", "bordeaux", "lille", "marseille", "rennes"),
        ("ASR",),
    ),
    InstituteSpec(
        "iim",
        "IIM — Institut international du management",
        "Management international",
        "Forme au management des organisations dans un contexte international, en France et "
        "dans les centres à l'étranger.",
        ("paris", "chine", "liban", "maroc", "cote-divoire"),
        ("MGI",),
    ),
    InstituteSpec(
        "eicnam",
        "EiCnam — École d'ingénieurs du Cnam",
        "Ingénierie",
        "L'école d'ingénieurs du Cnam : diplômes d'ingénieur en formation continue, hors temps "
        "de travail ou en alternance.",
        (
            "paris",
            "lyon",
            "lille",
            "toulouse",
            "nantes",
            "strasbourg",
            "grenoble",
            "rennes",
            "bordeaux",
            "marseille",
        ),
        ("ENG", "NSY", "RSX", "ELE", "AUT", "MEC", "ENR"),
    ),
)


def build_organisation(ctx: BuildContext) -> None:
    """Create the departments, the centres and the institutes through the catalogue's actions."""
    actor = ctx.registrar
    assert actor is not None
    ctx.report("departments", 0, len(DEPARTMENTS))
    for done, spec in enumerate(DEPARTMENTS, start=1):
        ctx.departments[spec.slug] = create_department(
            actor=actor,
            slug=spec.slug,
            name_fr=spec.name_fr,
            name_en=spec.name_en,
        )
        ctx.report("departments", done, len(DEPARTMENTS))

    rng = ctx.rng("centres")
    ctx.report("centres", 0, len(CENTRES))
    for done, centre in enumerate(CENTRES, start=1):
        ctx.centres[centre.code] = create_centre(
            actor=actor,
            code=centre.code,
            name=centre.name,
            kind=centre.kind,
            city=centre.city,
            region=centre.region,
            country=centre.country,
            time_zone=centre.time_zone,
            address=_centre_address(centre, rng.randint(1, 180), rng.choice(STREET_NAMES)),
        )
        ctx.report("centres", done, len(CENTRES))

    ctx.report("institutes", 0, len(INSTITUTES))
    for done, institute in enumerate(INSTITUTES, start=1):
        ctx.institutes[institute.code] = create_institute(
            actor=actor,
            code=institute.code,
            name=institute.name,
            sector=institute.sector,
            description=institute.description,
            centres=institute.centres,
        )
        ctx.report("institutes", done, len(INSTITUTES))


def _centre_address(spec: CentreSpec, number: int, street: str) -> str:
    if spec is PARIS:
        return "292 rue Saint-Martin, 75003 Paris"
    if spec.kind == CentreKind.ABROAD:
        return f"{number} avenue {street}, {spec.city}"
    kind = STREET_KINDS[number % len(STREET_KINDS)]
    return f"{number} {kind} {street}, {spec.postcode} {spec.city}"
