"""Places of origin, indigenous languages by place, waiting cities and telephone numbering plans.

Subdivision codes are ISO 3166-2. For SV, GT, HN and MX they are the codes of the project's reference
table (`corredor/reference/data/subdivisions.csv`), which uses Guatemala's current numeric codes
(GT-01 Guatemala ... GT-22 Jutiapa, in force since ISO's change of 2021-11-25; the older letter codes
such as GT-GU are obsolete). The others were checked against Debian's iso-codes (iso_3166-2.json).
Municipalities are real municipalities (communes, alcaldías) of each subdivision, written from general
knowledge. El Salvador merged its 262 municipalities into 44 in 2024; the old names are kept because
they are the names people still give as their home town.

The weights are assumptions chosen for plausibility (large cities and the regions most often named as
places of flight weigh more); they are not statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

from corredor.core.synth._sampling import Weighted, zipf


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level subdivision with some of its municipalities (the first is the most likely)."""

    code: str
    municipalities: Weighted[str]


def _regions(*rows: tuple[str, float, tuple[str, ...]]) -> Weighted[Region]:
    return Weighted((Region(code, zipf(municipalities, 1.0)), weight) for code, weight, municipalities in rows)


ORIGINS: dict[str, Weighted[Region]] = {
    "HN": _regions(
        ("HN-CR", 26, ("San Pedro Sula", "Choloma", "Villanueva", "La Lima", "Puerto Cortés")),
        ("HN-FM", 18, ("Distrito Central", "Talanga", "Ojojona")),
        ("HN-YO", 8, ("El Progreso", "Yoro", "Olanchito")),
        ("HN-AT", 6, ("La Ceiba", "Tela")),
        ("HN-OL", 5, ("Juticalpa", "Catacamas")),
        ("HN-CM", 6, ("Comayagua", "Siguatepeque")),
        ("HN-CP", 4, ("Santa Rosa de Copán", "Copán Ruinas")),
        ("HN-SB", 4, ("Santa Bárbara", "Quimistán")),
        ("HN-CH", 5, ("Choluteca", "San Marcos de Colón")),
        ("HN-EP", 4, ("Danlí", "Yuscarán")),
        ("HN-CL", 3, ("Tocoa", "Trujillo")),
        ("HN-LP", 2, ("La Paz", "Marcala")),
        ("HN-IN", 2, ("La Esperanza", "Intibucá")),
        ("HN-LE", 2, ("Gracias", "Erandique")),
        ("HN-OC", 1, ("Ocotepeque",)),
        ("HN-VA", 2, ("Nacaome", "San Lorenzo")),
        ("HN-GD", 0.5, ("Puerto Lempira",)),
        ("HN-IB", 0.5, ("Roatán", "Utila")),
    ),
    "SV": _regions(
        ("SV-SS", 25, ("San Salvador", "Soyapango", "Mejicanos", "Apopa", "Ilopango")),
        ("SV-LI", 10, ("Santa Tecla", "Colón", "San Juan Opico")),
        ("SV-SA", 8, ("Santa Ana", "Chalchuapa", "Metapán")),
        ("SV-SM", 9, ("San Miguel", "Chinameca")),
        ("SV-SO", 6, ("Sonsonate", "Izalco", "Acajutla")),
        ("SV-US", 7, ("Usulután", "Jiquilisco")),
        ("SV-UN", 5, ("La Unión", "Santa Rosa de Lima")),
        ("SV-AH", 4, ("Ahuachapán", "Atiquizaya")),
        ("SV-CH", 4, ("Chalatenango", "Nueva Concepción")),
        ("SV-CU", 3, ("Cojutepeque", "Suchitoto")),
        ("SV-PA", 4, ("Zacatecoluca", "Olocuilta")),
        ("SV-CA", 3, ("Sensuntepeque", "Ilobasco")),
        ("SV-MO", 3, ("San Francisco Gotera", "Jocoro")),
        ("SV-SV", 3, ("San Vicente", "Tecoluca")),
    ),
    "GT": _regions(
        ("GT-01", 18, ("Guatemala", "Mixco", "Villa Nueva", "Chinautla", "San Juan Sacatepéquez")),
        ("GT-02", 2, ("Guastatoya", "Sanarate")),
        ("GT-03", 2, ("Antigua Guatemala", "Ciudad Vieja", "Sumpango")),
        ("GT-04", 4, ("Chimaltenango", "Tecpán Guatemala", "Patzún")),
        ("GT-05", 4, ("Escuintla", "Santa Lucía Cotzumalguapa", "Tiquisate")),
        ("GT-06", 2, ("Cuilapa", "Barberena", "Chiquimulilla")),
        ("GT-07", 3, ("Sololá", "Santiago Atitlán", "Nahualá")),
        ("GT-08", 4, ("Totonicapán", "Momostenango", "San Francisco El Alto")),
        ("GT-09", 6, ("Quetzaltenango", "Coatepeque", "Cantel", "Olintepeque")),
        ("GT-10", 2, ("Mazatenango", "Chicacao")),
        ("GT-11", 2, ("Retalhuleu", "Champerico")),
        ("GT-12", 9, ("San Marcos", "San Pedro Sacatepéquez", "Tacaná", "Malacatán")),
        ("GT-13", 13, ("Huehuetenango", "Chiantla", "La Democracia", "Cuilco")),
        ("GT-14", 8, ("Santa Cruz del Quiché", "Chichicastenango", "Joyabaj")),
        ("GT-15", 2, ("Salamá", "Rabinal")),
        ("GT-16", 8, ("Cobán", "San Pedro Carchá", "Chisec")),
        ("GT-17", 3, ("Flores", "San Benito", "Sayaxché")),
        ("GT-18", 2, ("Puerto Barrios", "Morales")),
        ("GT-19", 1, ("Zacapa", "Gualán")),
        ("GT-20", 2, ("Chiquimula", "Esquipulas", "Jocotán")),
        ("GT-21", 1, ("Jalapa", "Monjas")),
        ("GT-22", 2, ("Jutiapa", "Asunción Mita")),
    ),
    # Mexican states most reported as places of flight (violence in Michoacán, Guerrero, Zacatecas...).
    "MX": _regions(
        ("MX-MIC", 14, ("Morelia", "Uruapan", "Apatzingán", "Zamora", "Aguililla")),
        ("MX-GRO", 16, ("Acapulco de Juárez", "Chilpancingo de los Bravo", "Iguala de la Independencia")),
        ("MX-ZAC", 7, ("Zacatecas", "Fresnillo", "Jerez", "Valparaíso")),
        ("MX-CHP", 8, ("Tuxtla Gutiérrez", "Tapachula", "San Cristóbal de las Casas", "Comitán de Domínguez")),
        ("MX-OAX", 8, ("Oaxaca de Juárez", "Juchitán de Zaragoza", "Salina Cruz")),
        ("MX-GUA", 8, ("León", "Celaya", "Irapuato", "Salamanca")),
        ("MX-VER", 6, ("Veracruz", "Xalapa", "Coatzacoalcos", "Córdoba")),
        ("MX-JAL", 6, ("Guadalajara", "Zapopan", "San Pedro Tlaquepaque", "Tlajomulco de Zúñiga")),
        ("MX-MEX", 8, ("Ecatepec de Morelos", "Nezahualcóyotl", "Toluca", "Chalco")),
        ("MX-PUE", 5, ("Puebla", "Tehuacán", "Atlixco")),
        ("MX-CMX", 4, ("Iztapalapa", "Gustavo A. Madero", "Tlalpan")),
        ("MX-SIN", 3, ("Culiacán", "Mazatlán")),
        ("MX-MOR", 3, ("Cuernavaca", "Cuautla")),
        ("MX-TAB", 2, ("Centro", "Cárdenas")),
        ("MX-DUR", 2, ("Durango", "Gómez Palacio")),
        ("MX-SLP", 2, ("San Luis Potosí", "Ciudad Valles")),
        ("MX-HID", 2, ("Pachuca de Soto", "Tulancingo de Bravo")),
    ),
    "NI": _regions(
        ("NI-MN", 35, ("Managua", "Ciudad Sandino", "Tipitapa")),
        ("NI-LE", 8, ("León",)),
        ("NI-CI", 8, ("Chinandega", "El Viejo")),
        ("NI-MT", 10, ("Matagalpa",)),
        ("NI-ES", 8, ("Estelí",)),
        ("NI-MS", 8, ("Masaya",)),
        ("NI-JI", 8, ("Jinotega",)),
        ("NI-GR", 5, ("Granada",)),
        ("NI-CA", 4, ("Jinotepe",)),
        ("NI-AN", 3, ("Puerto Cabezas",)),
    ),
    # Venezuelan municipalities: Libertador is Caracas, Iribarren Barquisimeto, Caroní Ciudad Guayana,
    # Girardot Maracay, Sucre (Miranda) Petare, Sotillo Puerto La Cruz.
    "VE": _regions(
        ("VE-A", 20, ("Libertador",)),
        ("VE-V", 15, ("Maracaibo", "San Francisco")),
        ("VE-K", 8, ("Iribarren",)),
        ("VE-G", 10, ("Valencia",)),
        ("VE-S", 7, ("San Cristóbal",)),
        ("VE-N", 6, ("Maturín",)),
        ("VE-F", 7, ("Caroní", "Heres")),
        ("VE-D", 7, ("Girardot",)),
        ("VE-M", 10, ("Sucre", "Baruta")),
        ("VE-B", 5, ("Sotillo", "Simón Bolívar")),
    ),
    "CU": _regions(
        ("CU-03", 30, ("Diez de Octubre", "Arroyo Naranjo", "Centro Habana", "Marianao")),
        ("CU-13", 12, ("Santiago de Cuba",)),
        ("CU-11", 10, ("Holguín",)),
        ("CU-09", 8, ("Camagüey",)),
        ("CU-05", 8, ("Santa Clara",)),
        ("CU-04", 7, ("Matanzas", "Cárdenas")),
        ("CU-12", 8, ("Bayamo", "Manzanillo")),
        ("CU-10", 6, ("Las Tunas",)),
        ("CU-01", 6, ("Pinar del Río",)),
        ("CU-06", 5, ("Cienfuegos",)),
    ),
    "CO": _regions(
        ("CO-ANT", 25, ("Medellín", "Bello", "Itagüí")),
        ("CO-VAC", 25, ("Cali", "Buenaventura", "Tuluá")),
        ("CO-DC", 20, ("Bogotá",)),
        ("CO-RIS", 15, ("Pereira", "Dosquebradas")),
        ("CO-NAR", 8, ("Pasto", "Tumaco")),
        ("CO-QUI", 7, ("Armenia",)),
    ),
    "EC": _regions(
        ("EC-A", 25, ("Cuenca", "Gualaceo")),
        ("EC-F", 15, ("Azogues", "Cañar")),
        ("EC-G", 25, ("Guayaquil", "Durán")),
        ("EC-P", 15, ("Quito",)),
        ("EC-M", 10, ("Portoviejo", "Manta")),
        ("EC-O", 5, ("Machala",)),
        ("EC-H", 5, ("Riobamba",)),
    ),
    "HT": _regions(
        ("HT-OU", 50, ("Port-au-Prince", "Delmas", "Carrefour", "Pétion-Ville", "Croix-des-Bouquets")),
        ("HT-AR", 12, ("Gonaïves", "Saint-Marc")),
        ("HT-ND", 10, ("Cap-Haïtien",)),
        ("HT-SD", 8, ("Les Cayes",)),
        ("HT-CE", 7, ("Hinche", "Mirebalais")),
        ("HT-GA", 5, ("Jérémie",)),
        ("HT-SE", 5, ("Jacmel",)),
        ("HT-NI", 3, ("Miragoâne",)),
    ),
    # Where Haitian families lived before coming north, for their children born there.
    "BR": _regions(
        ("BR-SP", 40, ("São Paulo",)),
        ("BR-SC", 25, ("Chapecó", "Joinville")),
        ("BR-PR", 20, ("Curitiba", "Cascavel")),
        ("BR-RS", 15, ("Porto Alegre", "Caxias do Sul")),
    ),
    "CL": _regions(
        ("CL-RM", 80, ("Santiago", "Estación Central", "Quilicura")),
        ("CL-VS", 10, ("Valparaíso", "Viña del Mar")),
        ("CL-AN", 10, ("Antofagasta",)),
    ),
}

# Where speakers of each indigenous language come from, by (country, ISO 639-3 code).
INDIGENOUS_ORIGINS: dict[tuple[str, str], Weighted[Region]] = {
    ("GT", "quc"): _regions(
        ("GT-14", 45, ("Santa Cruz del Quiché", "Chichicastenango", "Zacualpa", "Joyabaj")),
        ("GT-08", 30, ("Totonicapán", "Momostenango", "San Francisco El Alto")),
        ("GT-09", 15, ("Quetzaltenango", "Cantel", "Olintepeque")),
        ("GT-07", 10, ("Nahualá",)),
    ),
    ("GT", "mam"): _regions(
        ("GT-12", 50, ("Comitancillo", "Tacaná", "Concepción Tutuapa", "San Miguel Ixtahuacán")),
        ("GT-13", 35, ("Todos Santos Cuchumatán", "San Ildefonso Ixtahuacán", "Colotenango")),
        ("GT-09", 15, ("San Juan Ostuncalco", "Concepción Chiquirichapa")),
    ),
    ("GT", "kek"): _regions(
        ("GT-16", 75, ("Cobán", "San Pedro Carchá", "San Juan Chamelco", "Chisec", "Senahú")),
        ("GT-17", 15, ("Sayaxché", "San Luis", "Poptún")),
        ("GT-18", 10, ("El Estor", "Livingston")),
    ),
    ("GT", "cak"): _regions(
        ("GT-04", 60, ("Tecpán Guatemala", "Patzún", "San Juan Comalapa", "Patzicía")),
        ("GT-03", 20, ("Sumpango", "Santiago Sacatepéquez")),
        ("GT-07", 20, ("Sololá",)),
    ),
    ("GT", "kjb"): _regions(
        ("GT-13", 1, ("Santa Eulalia", "San Pedro Soloma", "San Juan Ixcoy", "Santa Cruz Barillas")),
    ),
    ("GT", "ixl"): _regions(("GT-14", 1, ("Nebaj", "Chajul", "San Juan Cotzal")),),
    ("GT", "tzj"): _regions(("GT-07", 1, ("Santiago Atitlán", "San Pedro La Laguna", "San Juan La Laguna")),),
    ("GT", "poh"): _regions(
        ("GT-16", 70, ("San Cristóbal Verapaz", "Tactic", "Tamahú")),
        ("GT-15", 30, ("Purulhá",)),
    ),
    ("GT", "acr"): _regions(("GT-15", 1, ("Rabinal", "Cubulco", "San Miguel Chicaj")),),
    ("GT", "jac"): _regions(("GT-13", 1, ("Jacaltenango", "Concepción Huista")),),
    ("HN", "cab"): _regions(
        ("HN-AT", 45, ("Tela", "La Ceiba")),
        ("HN-CL", 35, ("Trujillo", "Santa Fe", "Iriona")),
        ("HN-CR", 15, ("Puerto Cortés", "Omoa")),
        ("HN-GD", 5, ("Juan Francisco Bulnes",)),
    ),
    ("HN", "len"): _regions(
        ("HN-IN", 40, ("La Esperanza", "Intibucá", "Yamaranguila")),
        ("HN-LE", 30, ("Gracias", "Erandique")),
        ("HN-LP", 30, ("Marcala", "La Paz")),
    ),
    ("HN", "miq"): _regions(("HN-GD", 1, ("Puerto Lempira", "Ahuas", "Brus Laguna", "Wampusirpi")),),
    ("NI", "miq"): _regions(("NI-AN", 1, ("Puerto Cabezas", "Waspán", "Prinzapolka")),),
    ("MX", "nah"): _regions(
        ("MX-GRO", 35, ("Chilapa de Álvarez", "Tlapa de Comonfort")),
        ("MX-VER", 25, ("Zongolica",)),
        ("MX-PUE", 25, ("Cuetzalan del Progreso",)),
        ("MX-HID", 15, ("Huejutla de Reyes",)),
    ),
    ("MX", "tzo"): _regions(("MX-CHP", 1, ("San Juan Chamula", "Zinacantán", "Chenalhó")),),
    ("MX", "tzh"): _regions(("MX-CHP", 1, ("Ocosingo", "Tenejapa", "Oxchuc")),),
    ("MX", "zap"): _regions(("MX-OAX", 1, ("Juchitán de Zaragoza", "Tlacolula de Matamoros", "Villa de Zaachila")),),
    ("MX", "mix"): _regions(
        ("MX-OAX", 65, ("Santiago Juxtlahuaca", "Heroica Ciudad de Tlaxiaco")),
        ("MX-GRO", 35, ("Metlatónoc", "Tlapa de Comonfort")),
    ),
}

# Share of households speaking an indigenous language, and which, by nationality. The brief's figures:
# about a quarter of Guatemalans speak a Mayan language; Garífuna 2%, Lenca 1%, Miskito 1% of Hondurans.
ETHNIC_LANGUAGES: dict[str, tuple[float, Weighted[str]]] = {
    "GT": (0.25, Weighted((("quc", 30), ("mam", 22), ("kek", 20), ("cak", 12), ("kjb", 7), ("ixl", 3),
                           ("tzj", 2), ("poh", 2), ("acr", 1), ("jac", 1)))),
    "HN": (0.04, Weighted((("cab", 2), ("len", 1), ("miq", 1)))),
    "MX": (0.05, Weighted((("nah", 35), ("mix", 20), ("zap", 15), ("tzo", 15), ("tzh", 15)))),
    "NI": (0.03, Weighted((("miq", 1),))),
}


@dataclass(frozen=True, slots=True)
class WaitingCity:
    """A Mexican city facing a port of entry (names exactly as in shared/reference/ports-and-cities.csv)."""

    name: str
    subdivision: str
    municipality: str  # Ciudad Juárez's municipality is Juárez
    area_code: str  # local telephone area code, for Mexican SIM numbers bought while waiting


# Weights are an assumption: Tijuana and Ciudad Juárez hold the largest shelter populations.
WAITING_CITIES: Weighted[WaitingCity] = Weighted((
    (WaitingCity("Tijuana", "MX-BCN", "Tijuana", "664"), 25),
    (WaitingCity("Mexicali", "MX-BCN", "Mexicali", "686"), 8),
    (WaitingCity("Nogales", "MX-SON", "Nogales", "631"), 10),
    (WaitingCity("Ciudad Juárez", "MX-CHH", "Juárez", "656"), 18),
    (WaitingCity("Piedras Negras", "MX-COA", "Piedras Negras", "878"), 7),
    (WaitingCity("Nuevo Laredo", "MX-TAM", "Nuevo Laredo", "867"), 8),
    (WaitingCity("Reynosa", "MX-TAM", "Reynosa", "899"), 14),
    (WaitingCity("Matamoros", "MX-TAM", "Matamoros", "868"), 10),
))


@dataclass(frozen=True, slots=True)
class PhonePlan:
    """Mobile numbers of one country: E.164 country code, leading digits, then `rest` free digits."""

    country_code: str
    prefixes: Weighted[str]
    rest: int
    modulus: int  # 10 ** rest


def _plan(country_code: str, prefixes: tuple[str, ...], rest: int) -> PhonePlan:
    return PhonePlan(country_code, zipf(prefixes, 0.3), rest, 10**rest)


# National significant numbers of mobile phones (ITU-T E.164 country codes; mobile leading digits
# from each national numbering plan, simplified).
PHONE_PLANS: dict[str, PhonePlan] = {
    "HN": _plan("504", ("9", "3", "8"), 7),
    "GT": _plan("502", ("5", "4", "3"), 7),
    "SV": _plan("503", ("7", "6"), 7),
    "NI": _plan("505", ("8", "5", "7"), 7),
    "MX": _plan("52", ("443", "744", "961", "951", "477", "492", "229", "722", "222", "667", "777"), 7),
    "VE": _plan("58", ("414", "424", "412", "416", "426"), 7),
    "HT": _plan("509", ("3", "4"), 7),
    "CU": _plan("53", ("5",), 7),
    "CO": _plan("57", ("310", "300", "311", "312", "313", "315", "316", "317", "318", "320", "321", "350"), 7),
    "EC": _plan("593", ("9",), 8),
    "IN": _plan("91", ("9", "8", "7", "6"), 9),
    "SN": _plan("221", ("77", "78", "76", "70"), 7),
    "CN": _plan("86", ("13", "15", "18"), 9),
    "RU": _plan("7", ("9",), 9),
    "ER": _plan("291", ("7",), 6),
}
