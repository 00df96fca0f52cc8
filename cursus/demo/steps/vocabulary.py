"""Words the demo catalogue is composed from: topics per unit prefix, title patterns, fields.

Each topic is written in French with its article ("la cryptographie"), so
that titles can say "Introduction à la cryptographie" or "Pratique du
contrôle de gestion" with the right contraction, and in English without one.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject a unit can teach, in French (with its article) and English."""

    fr: str
    en: str

    @property
    def bare_fr(self) -> str:
        """Return the French topic without its article, capitalised: "Cryptographie"."""
        for article in ("les ", "le ", "la ", "l'"):
            if self.fr.startswith(article):
                return capitalise(self.fr[len(article) :])
        return capitalise(self.fr)

    @property
    def bare_en(self) -> str:
        """Return the English topic capitalised: "Cryptography"."""
        return capitalise(self.en)

    @property
    def after_a(self) -> str:
        """Return the French topic after "à": "au contrôle", "aux réseaux", "à la…"."""
        return _contract(self.fr, "à", "au", "aux")

    @property
    def after_de(self) -> str:
        """Return the French topic after "de": "du contrôle", "des réseaux", "de la…"."""
        return _contract(self.fr, "de", "du", "des")


def capitalise(text: str) -> str:
    """Return the text with its first letter in upper case, the rest untouched."""
    return text[:1].upper() + text[1:]


def _contract(topic: str, preposition: str, masculine: str, plural: str) -> str:
    if topic.startswith("le "):
        return f"{masculine} {topic[3:]}"
    if topic.startswith("les "):
        return f"{plural} {topic[4:]}"
    return f"{preposition} {topic}"


def _topics(*pairs: tuple[str, str]) -> tuple[Topic, ...]:
    return tuple(Topic(fr, en) for fr, en in pairs)


@dataclass(frozen=True, slots=True)
class Prefix:
    """A unit code prefix of a department, the topics it teaches and its code numbers."""

    code: str
    department: str
    topics: tuple[Topic, ...]
    # Introductory units take numbers below 100; others 100 to 299.
    introductory_only: bool = False


PREFIXES: tuple[Prefix, ...] = (
    # Informatique.
    Prefix(
        "NFA",
        "informatique",
        _topics(
            ("l'algorithmique", "algorithmics"),
            ("la programmation en Python", "Python programming"),
            ("les technologies du web", "web technologies"),
            ("les structures de données", "data structures"),
            ("la programmation en C", "C programming"),
            ("la logique et les mathématiques discrètes", "logic and discrete mathematics"),
            ("les interfaces homme-machine", "human-computer interaction"),
            ("le développement web côté client", "client-side web development"),
            ("le développement web côté serveur", "server-side web development"),
            ("la modélisation des systèmes d'information", "information systems modelling"),
            ("l'environnement de travail Unix", "Unix working environments"),
        ),
        introductory_only=True,
    ),
    Prefix(
        "NFE",
        "informatique",
        _topics(
            ("les systèmes d'information décisionnels", "business intelligence systems"),
            ("l'urbanisation des systèmes d'information", "enterprise architecture"),
            ("la gouvernance des systèmes d'information", "IT governance"),
            ("les progiciels de gestion intégrés", "enterprise resource planning systems"),
            ("les bases de données NoSQL", "NoSQL databases"),
            ("les entrepôts de données", "data warehouses"),
            ("l'audit des systèmes d'information", "information systems auditing"),
            ("la gestion de la relation client", "customer relationship management"),
            ("les architectures orientées services", "service-oriented architectures"),
            ("l'ingénierie des exigences", "requirements engineering"),
            ("la qualité des données", "data quality"),
            ("le pilotage de projets numériques", "digital project management"),
        ),
    ),
    Prefix(
        "NFP",
        "informatique",
        _topics(
            ("la programmation fonctionnelle", "functional programming"),
            ("la programmation concurrente", "concurrent programming"),
            ("la compilation", "compilers"),
            ("les patrons de conception", "design patterns"),
            ("le développement d'applications mobiles", "mobile application development"),
            ("les cadriciels web", "web frameworks"),
            ("la programmation logique", "logic programming"),
            ("l'apprentissage automatique", "machine learning"),
            ("le traitement automatique des langues", "natural language processing"),
            ("la vision par ordinateur", "computer vision"),
            ("l'intelligence artificielle", "artificial intelligence"),
            ("la programmation en C++", "C++ programming"),
        ),
    ),
    Prefix(
        "NSY",
        "informatique",
        _topics(
            ("les systèmes distribués", "distributed systems"),
            ("les systèmes embarqués", "embedded systems"),
            ("les systèmes temps réel", "real-time systems"),
            ("la virtualisation", "virtualisation"),
            ("l'administration des systèmes Unix", "Unix system administration"),
            ("l'informatique en nuage", "cloud computing"),
            ("les conteneurs et l'orchestration", "containers and orchestration"),
            ("l'exploitation des infrastructures", "infrastructure operations"),
            ("les architectures parallèles", "parallel architectures"),
            ("l'Internet des objets", "Internet of Things"),
            ("le calcul haute performance", "high-performance computing"),
        ),
    ),
    Prefix(
        "RSX",
        "informatique",
        _topics(
            ("les réseaux locaux", "local area networks"),
            ("les réseaux mobiles", "mobile networks"),
            ("les réseaux sans fil", "wireless networks"),
            ("le routage et la commutation", "routing and switching"),
            ("l'administration des réseaux", "network administration"),
            ("les télécommunications numériques", "digital telecommunications"),
            ("la téléphonie sur IP", "voice over IP"),
            ("les réseaux définis par logiciel", "software-defined networking"),
            ("la qualité de service des réseaux", "network quality of service"),
        ),
    ),
    Prefix(
        "GLG",
        "informatique",
        _topics(
            ("l'architecture logicielle", "software architecture"),
            ("les méthodes agiles", "agile methods"),
            ("l'intégration et le déploiement continus", "continuous integration and delivery"),
            ("la maintenance et l'évolution du logiciel", "software maintenance and evolution"),
            ("la modélisation UML", "UML modelling"),
            ("la gestion de configuration logicielle", "software configuration management"),
            ("la qualité du logiciel", "software quality"),
            ("la vérification formelle", "formal verification"),
        ),
    ),
    Prefix(
        "SEC",
        "informatique",
        _topics(
            ("la cryptographie", "cryptography"),
            ("la sécurité des applications web", "web application security"),
            ("la gestion des risques cyber", "cyber risk management"),
            ("l'analyse de logiciels malveillants", "malware analysis"),
            ("la réponse aux incidents de sécurité", "security incident response"),
            ("la conformité en cybersécurité", "cybersecurity compliance"),
            ("la sécurité des systèmes industriels", "industrial control systems security"),
            ("les tests d'intrusion", "penetration testing"),
        ),
    ),
    Prefix(
        "JEU",
        "informatique",
        _topics(
            ("la conception de jeux vidéo", "game design"),
            ("la programmation de moteurs de jeu", "game engine programming"),
            ("la narration interactive", "interactive storytelling"),
            ("le son pour les médias interactifs", "sound for interactive media"),
            ("l'ergonomie des jeux vidéo", "game user experience"),
            ("la production de jeux vidéo", "video game production"),
            ("les graphismes en temps réel", "real-time graphics"),
            ("la réalité virtuelle et augmentée", "virtual and augmented reality"),
        ),
    ),
    # Économie et gestion.
    Prefix(
        "CFA",
        "economie-gestion",
        _topics(
            ("la comptabilité générale", "financial accounting"),
            ("la comptabilité analytique", "cost accounting"),
            ("la comptabilité approfondie", "advanced accounting"),
            ("la consolidation des comptes", "consolidated accounts"),
            ("le contrôle de gestion", "management control"),
            ("l'audit comptable et financier", "accounting and financial audit"),
            ("la fiscalité des entreprises", "corporate taxation"),
            ("les normes comptables internationales", "international accounting standards"),
            ("l'analyse financière", "financial analysis"),
            ("la paie et les déclarations sociales", "payroll and social declarations"),
        ),
    ),
    Prefix(
        "GFN",
        "economie-gestion",
        _topics(
            ("la finance d'entreprise", "corporate finance"),
            ("les marchés financiers", "financial markets"),
            ("la gestion de trésorerie", "treasury management"),
            ("l'évaluation d'entreprise", "business valuation"),
            ("la gestion des risques financiers", "financial risk management"),
            ("la banque et le crédit", "banking and credit"),
            ("la gestion de patrimoine", "wealth management"),
        ),
    ),
    Prefix(
        "MSE",
        "economie-gestion",
        _topics(
            ("la stratégie d'entreprise", "corporate strategy"),
            ("le management de l'innovation", "innovation management"),
            ("le management des organisations publiques", "public sector management"),
            ("l'entrepreneuriat", "entrepreneurship"),
            ("la responsabilité sociale des entreprises", "corporate social responsibility"),
            ("la conduite du changement", "change management"),
            ("la gestion des achats", "purchasing management"),
            ("la logistique et la chaîne d'approvisionnement", "logistics and supply chains"),
        ),
    ),
    Prefix(
        "ESC",
        "economie-gestion",
        _topics(
            ("le marketing", "marketing"),
            ("le marketing digital", "digital marketing"),
            ("la négociation commerciale", "business negotiation"),
            ("le management de la force de vente", "sales force management"),
            ("les études de marché", "market research"),
            ("le commerce international", "international trade"),
            ("le comportement du consommateur", "consumer behaviour"),
            ("la communication d'entreprise", "corporate communication"),
        ),
    ),
    Prefix(
        "ESD",
        "economie-gestion",
        _topics(
            ("la macroéconomie", "macroeconomics"),
            ("la microéconomie", "microeconomics"),
            ("l'économie du développement", "development economics"),
            ("l'économie de l'environnement", "environmental economics"),
            ("l'économie industrielle", "industrial economics"),
            ("l'économie monétaire", "monetary economics"),
            ("l'histoire économique contemporaine", "contemporary economic history"),
        ),
    ),
    Prefix(
        "DRM",
        "economie-gestion",
        _topics(
            ("le droit de l'urbanisme", "planning law"),
            ("le droit de la construction", "construction law"),
            ("le droit de la copropriété", "co-ownership law"),
            ("les baux commerciaux", "commercial leases"),
            ("la fiscalité immobilière", "real-estate taxation"),
            ("la promotion immobilière", "property development"),
            ("l'expertise immobilière", "real-estate appraisal"),
            ("la gestion locative", "rental management"),
        ),
    ),
    Prefix(
        "ASR",
        "economie-gestion",
        _topics(
            ("le droit des assurances", "insurance law"),
            ("l'assurance de personnes", "personal insurance"),
            ("l'assurance de dommages", "property and casualty insurance"),
            ("la réassurance", "reinsurance"),
            ("la souscription des risques", "risk underwriting"),
            ("la gestion des sinistres", "claims management"),
            ("la distribution des produits d'assurance", "insurance distribution"),
        ),
    ),
    Prefix(
        "MGI",
        "economie-gestion",
        _topics(
            ("le management interculturel", "cross-cultural management"),
            ("la stratégie internationale", "international strategy"),
            ("la finance internationale", "international finance"),
            ("le marketing international", "international marketing"),
            ("la gestion internationale des ressources humaines", "international HR management"),
            ("le droit des affaires internationales", "international business law"),
        ),
    ),
    Prefix(
        "ACD",
        "economie-gestion",
        _topics(
            ("le droit public des affaires", "public business law"),
            ("les finances publiques", "public finance"),
            ("la gestion des collectivités territoriales", "local government management"),
            ("les marchés publics", "public procurement"),
        ),
    ),
    # Travail et entreprise.
    Prefix(
        "DRS",
        "travail-entreprise",
        _topics(
            ("le droit de la protection sociale", "social security law"),
            ("le droit de la formation professionnelle", "vocational training law"),
            ("le contentieux du travail", "employment litigation"),
            ("le droit de la santé au travail", "occupational health law"),
            ("la négociation collective", "collective bargaining"),
            ("le droit pénal du travail", "criminal employment law"),
        ),
    ),
    Prefix(
        "TET",
        "travail-entreprise",
        _topics(
            ("la gestion des ressources humaines", "human resource management"),
            ("la gestion prévisionnelle des emplois", "strategic workforce planning"),
            ("le recrutement", "recruitment"),
            ("la rémunération et les avantages sociaux", "pay and benefits"),
            ("la formation des adultes", "adult education"),
            ("le dialogue social", "social dialogue"),
            ("la sociologie du travail", "sociology of work"),
            ("l'accompagnement des carrières", "career guidance"),
            ("la communication interpersonnelle", "interpersonal communication"),
        ),
    ),
    Prefix(
        "PST",
        "travail-entreprise",
        _topics(
            ("la psychologie du travail", "work psychology"),
            ("la psychologie sociale des organisations", "social psychology of organisations"),
            ("l'orientation professionnelle", "vocational guidance"),
            ("le bilan de compétences", "skills assessment"),
            ("les risques psychosociaux", "psychosocial risks"),
        ),
    ),
    Prefix(
        "ERG",
        "travail-entreprise",
        _topics(
            ("l'ergonomie", "ergonomics"),
            ("l'ergonomie des interfaces", "interface ergonomics"),
            ("l'analyse du travail", "work analysis"),
            ("la prévention des risques professionnels", "occupational risk prevention"),
            ("la conception des situations de travail", "workplace design"),
            ("les facteurs humains et organisationnels", "human and organisational factors"),
        ),
    ),
    # Mathématiques.
    Prefix(
        "MVA",
        "mathematiques",
        _topics(
            ("l'analyse réelle", "real analysis"),
            ("l'algèbre linéaire", "linear algebra"),
            ("l'analyse numérique", "numerical analysis"),
            ("les probabilités", "probability"),
            ("les équations différentielles", "differential equations"),
            ("l'optimisation continue", "continuous optimisation"),
            ("la théorie des graphes", "graph theory"),
            ("les mathématiques financières", "financial mathematics"),
            ("le calcul scientifique", "scientific computing"),
            ("l'analyse de Fourier", "Fourier analysis"),
        ),
    ),
    Prefix(
        "STA",
        "mathematiques",
        _topics(
            ("la statistique descriptive", "descriptive statistics"),
            ("la statistique inférentielle", "statistical inference"),
            ("l'analyse des données", "data analysis"),
            ("les séries temporelles", "time series"),
            ("les modèles linéaires", "linear models"),
            ("l'apprentissage statistique", "statistical learning"),
            ("les sondages", "survey sampling"),
            ("la statistique bayésienne", "Bayesian statistics"),
            ("la science des données", "data science"),
            ("la statistique pour la qualité", "statistics for quality"),
        ),
    ),
    Prefix(
        "RCP",
        "mathematiques",
        _topics(
            ("la programmation linéaire", "linear programming"),
            ("l'optimisation combinatoire", "combinatorial optimisation"),
            ("la simulation des systèmes", "systems simulation"),
            ("l'aide multicritère à la décision", "multicriteria decision aid"),
            ("les files d'attente", "queueing theory"),
            ("l'ordonnancement", "scheduling"),
            ("l'optimisation des réseaux logistiques", "logistics network optimisation"),
        ),
    ),
    # Physique et électronique.
    Prefix(
        "ELE",
        "physique-electronique",
        _topics(
            ("l'électronique analogique", "analogue electronics"),
            ("l'électronique de puissance", "power electronics"),
            ("les systèmes à microcontrôleurs", "microcontroller systems"),
            ("la conception de circuits numériques", "digital circuit design"),
            ("le traitement du signal", "signal processing"),
            ("les capteurs et l'instrumentation", "sensors and instrumentation"),
            ("les hyperfréquences", "microwave engineering"),
            ("la compatibilité électromagnétique", "electromagnetic compatibility"),
            ("l'électrotechnique", "electrical engineering"),
            ("les communications numériques", "digital communications"),
        ),
    ),
    Prefix(
        "PHR",
        "physique-electronique",
        _topics(
            ("la physique générale", "general physics"),
            ("l'optique", "optics"),
            ("la thermodynamique", "thermodynamics"),
            ("l'électromagnétisme", "electromagnetism"),
            ("la physique des matériaux", "materials physics"),
            ("les lasers et leurs applications", "lasers and their applications"),
            ("l'acoustique", "acoustics"),
            ("la physique des semi-conducteurs", "semiconductor physics"),
            ("la métrologie", "metrology"),
        ),
    ),
    Prefix(
        "AUT",
        "physique-electronique",
        _topics(
            ("l'automatique", "control engineering"),
            ("les automates programmables", "programmable logic controllers"),
            ("la robotique", "robotics"),
            ("la commande numérique des systèmes", "digital control of systems"),
            ("la supervision industrielle", "industrial supervision"),
            ("l'identification des systèmes", "system identification"),
        ),
    ),
    # Génie, mécanique et matériaux.
    Prefix(
        "MEC",
        "genie-mecanique-materiaux",
        _topics(
            ("la mécanique des solides", "solid mechanics"),
            ("la mécanique des fluides", "fluid mechanics"),
            ("la résistance des matériaux", "strength of materials"),
            ("la conception mécanique assistée par ordinateur", "computer-aided design"),
            ("la fabrication mécanique", "mechanical manufacturing"),
            ("la dynamique des structures", "structural dynamics"),
            ("la méthode des éléments finis", "the finite element method"),
            ("la maintenance industrielle", "industrial maintenance"),
            ("la tribologie", "tribology"),
        ),
    ),
    Prefix(
        "MTX",
        "genie-mecanique-materiaux",
        _topics(
            ("la science des matériaux", "materials science"),
            ("les matériaux composites", "composite materials"),
            ("les polymères", "polymers"),
            ("la métallurgie", "metallurgy"),
            ("la corrosion", "corrosion"),
            ("le contrôle non destructif", "non-destructive testing"),
            ("la fatigue des matériaux", "materials fatigue"),
        ),
    ),
    Prefix(
        "ENR",
        "genie-mecanique-materiaux",
        _topics(
            ("l'énergétique", "energy engineering"),
            ("les énergies renouvelables", "renewable energies"),
            ("les transferts thermiques", "heat transfer"),
            ("la performance énergétique des bâtiments", "energy performance of buildings"),
            ("les réseaux électriques intelligents", "smart grids"),
            ("le stockage de l'énergie", "energy storage"),
        ),
    ),
    Prefix(
        "FAB",
        "genie-mecanique-materiaux",
        _topics(
            ("l'organisation industrielle", "industrial organisation"),
            ("la gestion de production", "production management"),
            ("la sûreté de fonctionnement", "dependability"),
            ("l'amélioration continue", "continuous improvement"),
            ("la maîtrise statistique des procédés", "statistical process control"),
            ("la certification et les normes qualité", "quality standards and certification"),
            ("l'industrie du futur", "the factory of the future"),
        ),
    ),
    # Sciences chimiques, biologiques et nucléaires.
    Prefix(
        "CHG",
        "sciences-chimiques-biologiques-nucleaires",
        _topics(
            ("la chimie générale", "general chemistry"),
            ("la chimie organique", "organic chemistry"),
            ("la chimie analytique", "analytical chemistry"),
            ("la chimie des polymères", "polymer chemistry"),
            ("le génie des procédés", "process engineering"),
            ("l'électrochimie", "electrochemistry"),
            ("la chimie verte", "green chemistry"),
            ("la formulation", "formulation science"),
        ),
    ),
    Prefix(
        "BIO",
        "sciences-chimiques-biologiques-nucleaires",
        _topics(
            ("la biologie cellulaire", "cell biology"),
            ("la microbiologie", "microbiology"),
            ("la biochimie", "biochemistry"),
            ("la génétique", "genetics"),
            ("les biotechnologies", "biotechnology"),
            ("l'immunologie", "immunology"),
            ("la pharmacologie", "pharmacology"),
            ("l'analyse sensorielle", "sensory analysis"),
            ("la qualité en industrie alimentaire", "quality in the food industry"),
        ),
    ),
    Prefix(
        "NUC",
        "sciences-chimiques-biologiques-nucleaires",
        _topics(
            ("la physique nucléaire", "nuclear physics"),
            ("la radioprotection", "radiation protection"),
            ("le génie nucléaire", "nuclear engineering"),
            ("la sûreté nucléaire", "nuclear safety"),
            ("la gestion des déchets radioactifs", "radioactive waste management"),
            ("la mesure des rayonnements ionisants", "ionising radiation measurement"),
        ),
    ),
    Prefix(
        "HSE",
        "sciences-chimiques-biologiques-nucleaires",
        _topics(
            ("l'hygiène et la sécurité du travail", "occupational health and safety"),
            ("le management de l'environnement", "environmental management"),
            ("l'évaluation des risques chimiques", "chemical risk assessment"),
            ("la toxicologie", "toxicology"),
            ("la gestion des risques industriels", "industrial risk management"),
            ("le droit de l'environnement", "environmental law"),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class TitlePattern:
    """How a title is made from a topic, and the level of the unit it suggests."""

    fr: str
    en: str
    # 0: introductory (code numbers below 100), 1: undergraduate, 2: graduate.
    level: int


# The bare topic first: most units are named by their subject alone.
TITLE_PATTERNS: tuple[TitlePattern, ...] = (
    TitlePattern("{bare}", "{bare_en}", 1),
    TitlePattern("Introduction {after_a}", "Introduction to {en}", 0),
    TitlePattern("{bare} : principes et méthodes", "{bare_en}: principles and methods", 1),
    TitlePattern("{bare} : approfondissement", "{bare_en}: advanced course", 2),
    TitlePattern("{bare} : mise en œuvre", "{bare_en} in practice", 1),
    TitlePattern("Pratique {after_de}", "Practice of {en}", 1),
    TitlePattern("{bare} pour l'ingénieur", "{bare_en} for engineers", 2),
    TitlePattern("{bare} : études de cas", "{bare_en}: case studies", 2),
    TitlePattern("Outils et méthodes {after_de}", "Tools and methods of {en}", 1),
)


def compose_title(topic: Topic, pattern: TitlePattern) -> tuple[str, str]:
    """Return the French and English titles of a topic under a pattern."""
    fields = {
        "bare": topic.bare_fr,
        "bare_en": topic.bare_en,
        "after_a": topic.after_a,
        "after_de": topic.after_de,
        "en": topic.en,
    }
    return pattern.fr.format(**fields), pattern.en.format(**fields)


DESCRIPTION_OPENINGS: tuple[tuple[str, str], ...] = (
    (
        (
            "Cette unité présente les notions fondamentales {after_de} et leurs applications "
            "en entreprise."
        ),
        "This unit presents the fundamental notions of {en} and their applications at work.",
    ),
    (
        (
            "L'enseignement couvre les concepts, les méthodes et les outils {after_de}, "
            "illustrés par des études de cas."
        ),
        "The course covers the concepts, methods and tools of {en}, illustrated by case studies.",
    ),
    (
        (
            "Destinée aux adultes en activité, cette unité fait le point sur {fr} : "
            "concepts, méthodes et pratiques professionnelles."
        ),
        (
            "Designed for working adults, this unit reviews {en}: concepts, methods and "
            "professional practice."
        ),
    ),
)
DESCRIPTION_AIMS: tuple[tuple[str, str], ...] = (
    (
        (
            "À l'issue de l'unité, l'auditeur sait mettre en œuvre les méthodes étudiées dans "
            "son contexte professionnel."
        ),
        (
            "By the end of the unit, learners can apply the methods studied in their own "
            "professional setting."
        ),
    ),
    (
        "Elle prépare aux unités d'approfondissement du même domaine.",
        "It prepares for the advanced units of the same field.",
    ),
    (
        "Les travaux dirigés s'appuient sur des situations tirées de l'expérience des auditeurs.",
        "Tutorials draw on situations from the learners' own experience.",
    ),
)
DESCRIPTION_ASSESSMENTS: tuple[tuple[str, str], ...] = (
    ("Évaluation : examen écrit final.", "Assessment: a final written exam."),
    ("Évaluation : projet et examen écrit.", "Assessment: a project and a written exam."),
    (
        "Évaluation : contrôle continu et examen final.",
        "Assessment: coursework and a final exam.",
    ),
)


@dataclass(frozen=True, slots=True)
class Field:
    """A field a diploma can be named after, with its job title, in French and English."""

    fr: str
    en: str
    job_fr: str
    job_en: str
    prefixes: tuple[str, ...]


# Diploma fields by department: what generated diplomas are named after and drawn from.
FIELDS: dict[str, tuple[Field, ...]] = {
    "informatique": (
        Field(
            "Cybersécurité",
            "cybersecurity",
            "Analyste en cybersécurité",
            "cybersecurity analyst",
            ("SEC", "RSX", "NSY"),
        ),
        Field(
            "Développement logiciel",
            "software development",
            "Développeur d'applications",
            "application developer",
            ("NFP", "GLG", "NFA"),
        ),
        Field(
            "Réseaux et télécommunications",
            "networks and telecommunications",
            "Administrateur réseaux",
            "network administrator",
            ("RSX", "NSY"),
        ),
        Field(
            "Systèmes d'information",
            "information systems",
            "Chef de projet en systèmes d'information",
            "information systems project manager",
            ("NFE", "GLG"),
        ),
        Field(
            "Intelligence artificielle",
            "artificial intelligence",
            "Ingénieur en science des données",
            "data scientist",
            ("NFP", "NFE"),
        ),
        Field(
            "Jeux vidéo et médias interactifs",
            "video games and interactive media",
            "Concepteur de jeux vidéo",
            "game designer",
            ("JEU", "NFP"),
        ),
    ),
    "economie-gestion": (
        Field(
            "Comptabilité, contrôle, audit",
            "accounting, control and audit",
            "Comptable",
            "accountant",
            ("CFA", "GFN"),
        ),
        Field(
            "Finance",
            "finance",
            "Analyste financier",
            "financial analyst",
            ("GFN", "CFA"),
        ),
        Field(
            "Management et stratégie",
            "management and strategy",
            "Responsable de projet",
            "project leader",
            ("MSE", "ESC"),
        ),
        Field(
            "Marketing et commerce",
            "marketing and sales",
            "Chargé de marketing",
            "marketing officer",
            ("ESC", "MSE"),
        ),
        Field(
            "Droit de l'immobilier",
            "real-estate law",
            "Gestionnaire immobilier",
            "property manager",
            ("DRM",),
        ),
        Field(
            "Assurance",
            "insurance",
            "Chargé de clientèle en assurance",
            "insurance account manager",
            ("ASR",),
        ),
        Field(
            "Management international",
            "international management",
            "Responsable du développement international",
            "international business developer",
            ("MGI", "ESC"),
        ),
    ),
    "travail-entreprise": (
        Field(
            "Ressources humaines",
            "human resources",
            "Responsable des ressources humaines",
            "human resources manager",
            ("TET", "DRS"),
        ),
        Field(
            "Droit social",
            "employment law",
            "Juriste en droit social",
            "employment lawyer",
            ("DRS", "TET"),
        ),
        Field(
            "Ergonomie",
            "ergonomics",
            "Ergonome",
            "ergonomist",
            ("ERG", "PST"),
        ),
        Field(
            "Psychologie du travail",
            "work psychology",
            "Conseiller en évolution professionnelle",
            "career development adviser",
            ("PST", "TET"),
        ),
    ),
    "mathematiques": (
        Field(
            "Statistique et science des données",
            "statistics and data science",
            "Statisticien",
            "statistician",
            ("STA", "MVA"),
        ),
        Field(
            "Recherche opérationnelle",
            "operations research",
            "Analyste en aide à la décision",
            "decision analyst",
            ("RCP", "MVA"),
        ),
    ),
    "physique-electronique": (
        Field(
            "Électronique",
            "electronics",
            "Technicien supérieur en électronique",
            "electronics engineer",
            ("ELE", "PHR"),
        ),
        Field(
            "Automatique et robotique",
            "control and robotics",
            "Automaticien",
            "control systems engineer",
            ("AUT", "ELE"),
        ),
        Field(
            "Optique et métrologie",
            "optics and metrology",
            "Métrologue",
            "metrologist",
            ("PHR",),
        ),
    ),
    "genie-mecanique-materiaux": (
        Field(
            "Mécanique",
            "mechanical engineering",
            "Concepteur mécanique",
            "mechanical designer",
            ("MEC", "MTX"),
        ),
        Field(
            "Énergétique",
            "energy engineering",
            "Chargé d'affaires en efficacité énergétique",
            "energy efficiency engineer",
            ("ENR", "MEC"),
        ),
        Field(
            "Qualité et production",
            "quality and production",
            "Responsable qualité",
            "quality manager",
            ("FAB", "MTR"),
        ),
        Field(
            "Matériaux",
            "materials",
            "Technicien des matériaux",
            "materials technician",
            ("MTX",),
        ),
    ),
    "sciences-chimiques-biologiques-nucleaires": (
        Field(
            "Chimie",
            "chemistry",
            "Technicien de laboratoire en chimie",
            "chemistry laboratory technician",
            ("CHG",),
        ),
        Field(
            "Biologie et biotechnologies",
            "biology and biotechnology",
            "Technicien en biotechnologies",
            "biotechnology technician",
            ("BIO", "BNF", "BCA"),
        ),
        Field(
            "Sciences nucléaires",
            "nuclear sciences",
            "Technicien en radioprotection",
            "radiation protection technician",
            ("NUC",),
        ),
        Field(
            "Hygiène, sécurité, environnement",
            "health, safety and environment",
            "Responsable hygiène, sécurité, environnement",
            "health, safety and environment manager",
            ("HSE",),
        ),
    ),
}
