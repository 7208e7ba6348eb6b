"""Norwegian names, places and wording the generated world is made of."""

MALE_FIRST_NAMES = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans",
    "Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "Rune", "Trond", "Jon",
    "Anders", "Tore", "Harald", "Gunnar", "Rolf", "Leif", "Stian", "Kristian", "Espen", "Magnus",
    "Jonas", "Daniel", "Marius", "Fredrik", "Tommy", "Øyvind", "Vidar", "Helge", "Even", "Henrik",
    "Sindre", "Eirik", "Mathias", "Emil", "Sander", "Kristoffer", "Jørgen", "Håkon", "Sigurd",
    "Tobias", "Elias", "Jakob", "Oskar", "Filip", "William", "Lucas", "Noah", "Isak", "Aksel",
    "Olav", "Sverre", "Ivar", "Asbjørn", "Finn", "Egil", "Dag", "Øystein", "Steinar", "Roger",
    "Frode", "Tom", "Petter", "Alexander", "Christian", "Johannes", "Sebastian", "Adrian",
    "Markus", "Vegard", "Joakim", "Simen", "Ola", "Nils", "Einar", "Alf", "Arild", "Audun", "Bård",
    "Bent", "Børge", "Eivind", "Erlend", "Ståle", "Gaute", "Halvor", "Jostein", "Kåre", "Ketil",
    "Lasse", "Njål", "Pål", "Ragnar", "Reidar", "Sigve", "Sturla", "Torbjørn", "Torstein",
    "Trygve", "Vebjørn", "Ulrik", "Yngve", "Åge", "Aslak", "Brage", "Eilif", "Gjermund", "Hallvard",
    "Inge", "Jens", "Karl", "Kjetil", "Kolbjørn", "Magne", "Mats", "Mikkel", "Nikolai", "Odin",
    "Peder", "Rasmus", "Robin", "Sivert", "Snorre", "Stein", "Sondre", "Teodor", "Thor", "Tord",
    "Truls", "Viktor", "Vetle", "Ådne", "Amund", "Anton", "Arvid", "Birger", "Carl", "Edvard",
    "Eskil", "Fabian", "Gustav", "Herman", "Iver", "Jarle", "Kasper", "Leon", "Ludvig", "Mads",
    "Oliver", "Patrick", "Preben", "Severin", "Mohammed", "Ali", "Ahmed", "Piotr", "Tomasz",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg", "Hilde",
    "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth", "Kristin",
    "Bente", "Heidi", "Silje", "Hanne", "Gro", "Tone", "Camilla", "Ellen", "Wenche", "Turid",
    "Tove", "Ragnhild", "Gunn", "Grete", "Sissel", "Mona", "Linda", "Trine", "Julie", "Kristine",
    "Ingvild", "Line", "Monica", "Hege", "Cecilie", "Lene", "Anita", "Elin", "Siri", "Marte",
    "Thea", "Emma", "Nora", "Sara", "Sofie", "Emilie", "Ingeborg", "Hanna", "Maja", "Olivia",
    "Ella", "Leah", "Frida", "Amalie", "Tiril", "Vilde", "Mari", "Guro", "Synnøve", "Sigrid",
    "Helene", "Karoline", "Martine", "Malin", "Mathilde", "Stine", "Tonje", "Therese", "Vibeke",
    "Unni", "Aud", "Åse", "Borghild", "Dagny", "Eldbjørg", "Gerd", "Gunhild", "Haldis", "Jorunn",
    "Karin", "Laila", "Magnhild", "Oddny", "Reidun", "Signe", "Torill", "Vigdis", "Agnes",
    "Aurora", "Eline", "Hedda", "Henriette", "Idun", "Jenny", "Johanne", "Kaja", "Kamilla",
    "Lise", "Live", "Lotte", "Mia", "Mille", "Oda", "Pernille", "Ragna", "Rikke", "Ronja", "Selma",
    "Sunniva", "Susanne", "Tuva", "Vår", "Veronika", "Ylva", "Åshild", "Alida", "Benedicte",
    "Birgitte", "Charlotte", "Dorthe", "Elise", "Eirin", "Gina", "Hedvig", "Helga", "Jannicke",
    "Katrine", "Kjersti", "Lillian", "Lovise", "Marthe", "Mette", "Nathalie", "Ragnfrid",
    "Solfrid", "Steinunn", "Trude", "Venche", "Fatima", "Amina", "Agnieszka", "Zofia",
)  # fmt: skip
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen",
    "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berntsen", "Nygård",
    "Bakke", "Kristensen", "Moe", "Fredriksen", "Holm", "Lien", "Hauge", "Christensen",
    "Andresen", "Nielsen", "Knudsen", "Evensen", "Sæther", "Aas", "Myhre", "Hanssen", "Ahmed",
    "Haugland", "Thomassen", "Sivertsen", "Simonsen", "Danielsen", "Berge", "Mikkelsen",
    "Hovland", "Nyberg", "Sandvik", "Dale", "Birkeland", "Isaksen", "Tangen", "Engen", "Ruud",
    "Aune", "Ødegård", "Brekke", "Vik", "Nordby", "Bråten", "Fjeld", "Løken", "Stene", "Haug",
    "Tveit", "Røed", "Sunde", "Steen", "Wold", "Ellingsen", "Martinussen", "Hoel", "Foss",
    "Eliassen", "Mikalsen", "Hermansen", "Hammer", "Torgersen", "Nordli", "Sletten", "Myklebust",
    "Aasen", "Bø", "Rønning", "Bjerke", "Helland", "Vold", "Nilssen", "Bergstrøm", "Rustad",
    "Skog", "Kvam", "Hovde", "Østby", "Sandberg", "Gulbrandsen", "Ottesen", "Rønneberg",
    "Tollefsen", "Løvås", "Grønvold", "Thorsen", "Dalen", "Lorentzen", "Ask", "Aasland",
    "Bergersen", "Bjørnstad", "Brattli", "Eikeland", "Fosse", "Gjerde", "Grimstad", "Hegge",
    "Hofstad", "Husby", "Kleven", "Kolstad", "Langeland", "Lindberg", "Løvik", "Midtbø",
    "Moldestad", "Myrvold", "Nesse", "Opsahl", "Ottosen", "Rognstad", "Rød", "Sande", "Skaar",
    "Skjelbred", "Skogen", "Skår", "Stokke", "Storli", "Strøm", "Syversen", "Teigen", "Tveiten",
    "Ulvestad", "Valle", "Vestby", "Vatne", "Westby", "Wiik", "Øien", "Aarseth", "Bergh",
    "Breivik", "Dybdahl", "Egeland", "Eng", "Engebretsen", "Fagerli", "Flaten", "Furuseth",
    "Gjertsen", "Grande", "Heggelund", "Helgesen", "Hjelle", "Holmen", "Hovda", "Høyland",
    "Jenssen", "Kittelsen", "Kvale", "Lindstad", "Løvlie", "Mo", "Myhrvold", "Nordahl", "Nyhus",
    "Olaisen", "Reitan", "Rise", "Sagen", "Schjelderup", "Seim", "Sørli", "Thoresen", "Tjønn",
    "Tønnessen", "Ullmann", "Vinje", "Wilhelmsen", "Ytterdal", "Aalberg", "Hussain", "Khan",
    "Kowalski", "Nowak", "Tran", "Pham", "Yilmaz", "Mohammed", "Hassan", "Abdi", "Andersson",
    "Lindqvist", "Virtanen", "Bakkevig", "Fossum", "Hoff", "Kristoffersen-Lie", "Ramberg",
)  # fmt: skip
CITIES = (
    "Oslo", "Bergen", "Trondheim", "Stavanger", "Drammen", "Fredrikstad", "Kristiansand",
    "Sandnes", "Tromsø", "Sarpsborg", "Skien", "Ålesund", "Sandefjord", "Haugesund", "Tønsberg",
    "Moss", "Porsgrunn", "Bodø", "Arendal", "Hamar", "Larvik", "Halden", "Lillehammer", "Molde",
    "Harstad", "Gjøvik", "Kongsberg", "Horten", "Grimstad", "Kristiansund", "Jessheim", "Ski",
    "Elverum", "Narvik", "Askøy", "Steinkjer", "Førde", "Mo i Rana", "Alta", "Leirvik",
    "Egersund", "Levanger", "Kongsvinger", "Ås", "Hønefoss", "Mandal", "Notodden", "Namsos",
    "Florø", "Brønnøysund", "Voss", "Lyngdal", "Flekkefjord", "Stord", "Raufoss", "Vennesla",
    "Orkanger", "Stjørdal", "Knarvik", "Sogndal", "Røros", "Hammerfest", "Kirkenes", "Vadsø",
)  # fmt: skip
COMPANY_PREFIXES = (
    "Nord", "Sør", "Vest", "Øst", "Fjord", "Fjell", "Berg", "Dal", "Elve", "Havne", "Skog",
    "Stein", "Sol", "Vik", "Nes", "Holm", "Lund", "Strand", "Bakke", "Haug", "Kyst", "Bre", "Sjø",
    "Myr", "Li", "Vinter", "Polar", "Midt", "Hav", "Ny", "Stor", "Ut", "Tind", "Foss", "Nordlys",
    "Fyr", "Fjære", "Furu", "Bjørke", "Eike",
)  # fmt: skip
COMPANY_CORES = (
    "Bygg", "Transport", "Elektro", "Rør", "Mekanikk", "Maskin", "Entreprenør", "Regnskap",
    "Eiendom", "Sjømat", "Fisk", "Trelast", "Logistikk", "Renhold", "Verft", "Industri",
    "Betong", "Anlegg", "Data", "Kraft", "Energi", "Handel", "Auto", "Marine", "Catering",
    "Hotell", "Miljø", "Trafikk", "Tre", "Stål", "Plast", "Grafisk", "Sikkerhet", "Frakt",
    "Isolasjon", "Maling", "Ventilasjon", "Kjøling",
)  # fmt: skip
LARGEST_CUSTOMER = "Storfjord Industri ASA"
HEALTH_CHECK_KINDS = (
    "HK arbeidshelse", "skiftarbeid", "støy og hørsel", "kontoransatte", "nyansatte",
    "nattarbeid", "verksted", "lager og logistikk", "sjåfører", "ledere",
)  # fmt: skip
ORDER_DESCRIPTIONS = (
    "Vernerunde", "Arbeidsmiljøkartlegging", "Kurs i førstehjelp", "Ergonomisk gjennomgang",
    "Støymåling", "Inneklimamåling", "Lederopplæring HMS", "Arbeidsplassvurdering",
    "Kjemikalierisikovurdering", "Kurs i arbeidsmiljø for verneombud", "Samtaler med rådgiver",
)  # fmt: skip
INVOICE_SERVICES = (
    "Arbeidsmiljøkartlegging, timer", "Kurs og opplæring, deltakere", "Rådgivning, timer",
    "Vernerunde, timer", "Måling av støy og inneklima, timer",
)  # fmt: skip
APPOINTMENT_INSTRUCTIONS = (
    "", "Ta med legitimasjon.", "Møt ti minutter før avtalt tid.",
    "Ta med briller eller linser om du bruker det.", "Oppmøte i resepsjonen.",
)  # fmt: skip

_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u", "ö": "o", "ä": "a"})


def slug(text: str) -> str:
    """ "Kjølberg Bygg" → "kjolberg-bygg": for e-mail addresses and domains."""
    text = text.lower().translate(_ASCII)
    return "-".join(
        "".join(c for c in word if c.isascii() and c.isalnum()) for word in text.split()
    )
