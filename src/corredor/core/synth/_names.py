"""Name tables for the synthetic population, one naming culture per group of nationalities.

Lists are written from general knowledge of naming in each country, most common first (their weights
fall with rank, see `zipf`). They aim at realistic texture for the registry and for duplicate
detection (accents, compound given names, two surnames, nicknames, spelling variants), not at
reproducing any real frequency table. No real person is described.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from corredor.core.synth._sampling import Weighted, blend, zipf


class SurnameRule(Enum):
    """How surnames are formed and passed to children."""

    HISPANIC = "hispanic"  # paternal + maternal surname; child = father's first + mother's first
    SINGLE = "single"  # one family name, from the father (Haitian, Senegalese, Chinese...)
    PATRONYMIC = "patronymic"  # the "surname" is the father's given name (Eritrea)
    SLAVIC = "slavic"  # one family name whose form follows sex (Ivanov / Ivanova)
    SIKH = "sikh"  # Singh for men, Kaur for women, sometimes a family name instead


@dataclass(frozen=True, slots=True)
class Culture:
    """Everything needed to name a person of one naming culture."""

    code: str
    male: Weighted[str]
    female: Weighted[str]
    young_male: Weighted[str]  # names given in the last 25 years differ from their parents'
    young_female: Weighted[str]
    second_male: Weighted[str]  # second given names ("Kevin *Josué*")
    second_female: Weighted[str]
    double_name_rate: float  # share given a second given name on top of the first
    surnames: Weighted[str]
    second_surname_rate: float  # share with a recorded second (maternal) surname
    rule: SurnameRule


# --- Central America and Mexico ------------------------------------------------------------------

_MESO_MALE = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Francisco", "Jesús", "Antonio", "Manuel",
    "Pedro", "Mario", "Óscar", "Santos", "Víctor", "Julio", "Marvin", "Wilmer", "Nelson", "Edwin",
    "Rigoberto", "Ramón", "Ricardo", "Roberto", "Guillermo", "Ignacio", "Alberto", "Fernando", "Enrique",
    "Salvador", "Eduardo", "Ángel", "Alejandro", "Arturo", "Héctor", "Raúl", "Sergio", "Armando",
    "Rodolfo", "Gerardo", "Gregorio", "Domingo", "Erick", "Élmer", "Selvin", "Byron", "Mynor", "Edgar",
    "Cristian", "Jaime", "Orlando", "Daniel", "David", "Walter", "Henry", "Wilson", "Hugo", "Germán",
    "Rubén", "Rafael", "Elvin", "Darwin", "Reynaldo", "Santiago", "Isidro", "Refugio", "Concepción",
)
_MESO_FEMALE = (
    "María", "Ana", "Rosa", "Carmen", "Guadalupe", "Dolores", "Sandra", "Karla", "Gloria", "Marta",
    "Leticia", "Silvia", "Patricia", "Blanca", "Elena", "Yolanda", "Verónica", "Teresa", "Juana", "Reina",
    "Dania", "Wendy", "Iris", "Suyapa", "Glenda", "Dilcia", "Lesly", "Heydi", "Yessenia", "Marisol",
    "Rosario", "Concepción", "Mercedes", "Isabel", "Margarita", "Norma", "Elsa", "Ingrid", "Mirna",
    "Floridalma", "Candelaria", "Marleny", "Irma", "Lidia", "Sonia", "Digna", "Esperanza", "Gabriela",
    "Claudia", "Lorena", "Josefina", "Socorro", "Graciela", "Consuelo", "Alba", "Xiomara", "Fátima",
)
_MESO_COMPOUND_MALE = (
    "José Luis", "Juan Carlos", "José Antonio", "Miguel Ángel", "Juan José", "José Manuel", "Luis Fernando",
    "Carlos Alberto", "Jorge Luis", "José María", "Juan Pablo", "Francisco Javier", "José de Jesús",
    "Jesús Alberto", "Juan Francisco", "José Guadalupe", "Luis Alonso", "José Santos", "Juan Antonio",
)
_MESO_COMPOUND_FEMALE = (
    "María José", "María de los Ángeles", "Ana Lucía", "María Guadalupe", "María del Carmen", "Ana María",
    "Rosa María", "María Fernanda", "María Isabel", "María Elena", "Ana Gabriela", "María Teresa",
    "María del Rosario", "Sofía Isabel", "María Dolores", "Ana Cecilia", "María de Jesús", "Rosa Elvira",
)
_MESO_YOUNG_MALE = (
    "Kevin", "Brayan", "Josué", "Ángel", "Jesús", "Santiago", "Mateo", "Jefferson", "Yeferson", "Anthony",
    "Dylan", "Christopher", "Cristian", "Jonathan", "Alexander", "Steven", "Sebastián", "Diego", "José",
    "Luis", "Daniel", "David", "Gael", "Emiliano", "Leonardo", "Samuel", "Isaac", "Axel", "Derek", "Eduardo",
    "Fernando", "Elías", "Matías", "Maynor", "Jairo",
)
_MESO_YOUNG_FEMALE = (
    "Sofía", "Valentina", "Camila", "Ashley", "Génesis", "Daniela", "Fernanda", "Allison", "Britany",
    "Dayana", "Yareli", "Nicole", "Kimberly", "Andrea", "Paola", "Jimena", "Ximena", "Emily", "Nahomi",
    "Keyla", "Melany", "Alisson", "Yaritza", "María", "Guadalupe", "Alejandra", "Abigail", "Dulce", "Kenia",
    "Estefany", "Yoselin", "Heidy", "Jennifer", "Karen", "Lesly",
)
_MESO_SECOND_MALE = (
    "Antonio", "Luis", "Carlos", "Manuel", "Alberto", "Ángel", "Alfredo", "Francisco", "Javier", "Enrique",
    "Armando", "Roberto", "Eduardo", "Alexander", "Josué", "Adalberto", "Ernesto", "Isaac", "Rafael",
    "Alonso", "Gabriel", "Emilio", "Humberto", "René", "David", "Geovanny", "Abel", "Mauricio", "Adán",
)
_MESO_SECOND_FEMALE = (
    "Isabel", "Elena", "Luisa", "Fernanda", "del Carmen", "de los Ángeles", "Guadalupe", "Lucía",
    "Cristina", "Alejandra", "Marisol", "Yamileth", "Esperanza", "de Jesús", "Beatriz", "Elizabeth",
    "Carolina", "Patricia", "Margarita", "Azucena", "Dolores", "Rosario", "Maribel", "Yesenia", "Noemí",
)
_SPANISH_SURNAMES = (
    "Hernández", "López", "García", "Martínez", "Rodríguez", "González", "Pérez", "Sánchez", "Ramírez",
    "Cruz", "Flores", "Gómez", "Morales", "Reyes", "Díaz", "Torres", "Vásquez", "Castillo", "Mejía",
    "Ramos", "Ortiz", "Jiménez", "Méndez", "Romero", "Aguilar", "Álvarez", "Chávez", "Gutiérrez", "Juárez",
    "Castro", "Ruiz", "Mendoza", "Moreno", "Herrera", "Medina", "Vargas", "Rivera", "Domínguez", "Castañeda",
    "Núñez", "Peña", "Muñoz", "Maldonado", "Alvarado", "Velásquez", "Escobar", "Guzmán", "Sandoval",
    "Rosales", "Cardona", "Ávila", "Salazar", "Girón", "Solís", "Osorio", "Padilla", "Serrano", "Fuentes",
    "Calderón", "Cabrera", "Carrillo", "Márquez", "Espinoza", "Aguirre", "Ordóñez", "Quiñónez", "Lara",
    "Miranda", "Ponce", "Avendaño", "Cortez", "Delgado", "Figueroa", "Navarro", "Santos", "Vega", "Estrada",
)
_NATIONAL_SURNAMES = {
    "HN": ("Zelaya", "Barahona", "Bonilla", "Cálix", "Maradiaga", "Turcios", "Zepeda", "Paz", "Banegas",
           "Cáceres", "Funes", "Matute", "Amador", "Zúniga", "Sevilla", "Ochoa", "Murillo"),
    "GT": ("Cifuentes", "Villatoro", "De León", "Recinos", "Monterroso", "Barrios", "Gálvez", "Coronado",
           "Xitumul", "Ajú", "Orozco", "Samayoa", "Marroquín", "Son", "Tello"),
    "SV": ("Orellana", "Argueta", "Portillo", "Ventura", "Amaya", "Chicas", "Alfaro", "Menjívar", "Rivas",
           "Guardado", "Henríquez", "Quintanilla", "Mejicanos", "Palacios", "Lemus", "Bonilla"),
    "NI": ("Baltodano", "Chamorro", "Lacayo", "Obando", "Téllez", "Úbeda", "Zeledón", "Talavera", "Blandón",
           "Mairena", "Rugama", "Gaitán", "Montenegro", "Zamora"),
    "MX": ("Villanueva", "Trejo", "Tapia", "Barrera", "Zavala", "Cervantes", "Olvera", "Salinas", "Soto",
           "Ibarra", "Rangel", "Zamudio", "Bautista", "Bernal", "Luna", "Pacheco", "Orozco"),
}

# Surnames of speakers of an indigenous language, by ISO 639-3 code. Q'anjob'al surnames are often
# saints' given names (Pascual, Mateo...), and many Mam and Garífuna families carry Spanish surnames.
INDIGENOUS_SURNAMES: dict[str, Weighted[str]] = {
    "quc": zipf(("Tzoc", "Xicará", "Ajanel", "Chávez", "Tum", "Batz", "Tzul", "Quej", "Sic", "Ixcoy",
                 "Chiroy", "Cux", "Cac", "Chuc", "Yax", "Tax", "Us", "Chocoj", "Saquic", "Toj", "Guarchaj")),
    "mam": zipf(("Bámaca", "Pérez", "Ramírez", "Chilel", "López", "Domingo", "Gabriel", "Velásquez",
                 "Fuentes", "Ortiz", "Díaz", "Escalante", "Matías")),
    "kek": zipf(("Caal", "Choc", "Coc", "Pop", "Tiul", "Xol", "Ical", "Cuz", "Maquín", "Bol", "Chub",
                 "Cucul", "Tzi", "Coy", "Chen")),
    "cak": zipf(("Cumes", "Xajil", "Cutzal", "Sipac", "Boj", "Chocoy", "Sotz", "Cujcuj", "Xinico", "Tubac",
                 "Sicajau", "Ajquejay", "Curruchich", "Cuxil")),
    "kjb": zipf(("Pascual", "Francisco", "Andrés", "Mateo", "Diego", "Pedro", "Juan", "Tomás", "Sebastián",
                 "Miguel", "Alonso", "Antonio")),
    "ixl": zipf(("Brito", "Ceto", "Cobo", "Raymundo", "Chel", "Bernal", "Pacheco")),
    "tzj": zipf(("Sosof", "Mendoza", "Tziná", "Quiejú", "Ramírez", "Coché", "Pablo", "Reanda")),
    "poh": zipf(("Caal", "Tun", "Cac", "Ical", "Sis", "Tut", "Ac")),
    "acr": zipf(("Ixpatá", "Tecú", "Chen", "Xitumul", "Cahuec", "Alvarado", "Osorio")),
    "jac": zipf(("Camposeco", "Montejo", "Silvestre", "Hurtado", "Delgado")),
    "cab": zipf(("Guity", "Bernárdez", "Arzú", "Suazo", "Norales", "Cacho", "Róchez", "Sabio", "Lacayo",
                 "Castillo", "Martínez", "Álvarez", "Colón", "Ramos")),
    "len": zipf(("Domínguez", "Méndez", "Pérez", "Sánchez", "Gómez", "Vásquez", "Lemus")),
    "miq": zipf(("Wood", "Kittle", "Bushey", "Cunningham", "Taylor", "Morales", "Zelaya", "Thomas",
                 "Peralta", "Rivera", "Simmons")),
    "nah": zipf(("Hernández", "Martínez", "Cruz", "Xocua", "Tepetla", "Colohua", "Tlaxcala", "Rosas")),
    "tzo": zipf(("Gómez", "Pérez", "Hernández", "Díaz", "López", "Patishtán", "Collazo", "Méndez")),
    "tzh": zipf(("Gómez", "Pérez", "López", "Hernández", "Santiz", "Girón", "Jiménez", "Intzín")),
    "zap": zipf(("López", "Martínez", "Santiago", "Matus", "Toledo", "Orozco", "Jiménez", "Regalado")),
    "mix": zipf(("López", "Ramírez", "Cruz", "Bautista", "Santiago", "Ortiz", "Feria", "Guzmán")),
}


def _meso(country: str) -> Culture:
    return Culture(
        code=country,
        male=blend((zipf(_MESO_MALE), 0.8), (zipf(_MESO_COMPOUND_MALE), 0.2)),
        female=blend((zipf(_MESO_FEMALE), 0.75), (zipf(_MESO_COMPOUND_FEMALE), 0.25)),
        young_male=zipf(_MESO_YOUNG_MALE, 0.7),
        young_female=zipf(_MESO_YOUNG_FEMALE, 0.7),
        second_male=zipf(_MESO_SECOND_MALE),
        second_female=zipf(_MESO_SECOND_FEMALE),
        double_name_rate=0.35,
        surnames=blend((zipf(_SPANISH_SURNAMES, 0.9), 0.8), (zipf(_NATIONAL_SURNAMES[country]), 0.2)),
        second_surname_rate=0.97,
        rule=SurnameRule.HISPANIC,
    )


# --- Venezuela, Colombia and Ecuador, Cuba -------------------------------------------------------

_VE_MALE = ("José", "Luis", "Carlos", "Jesús", "Jhonny", "Yorman", "Wilmer", "Andrés", "Jean Carlos",
            "Frank", "Daniel", "Leonardo", "Miguel", "Gabriel", "Ángel", "Deivis", "Yonaiker", "Richard",
            "Eduardo", "Alexander", "Luis Alejandro", "José Gregorio", "Juan Carlos", "Rafael", "Víctor")
_VE_FEMALE = ("María", "Daniela", "Oriana", "Yusmary", "Génesis", "Yuleisy", "Andreína", "Marbelis",
              "Mariangel", "Yelitza", "Carolina", "Valentina", "Isabel", "Karelys", "Dayana", "María Gabriela",
              "Yohana", "Nakary", "Rosangela", "Yenny", "Maryori", "Ana Karina", "Luisana")
_VE_SURNAMES = ("González", "Rodríguez", "Pérez", "Hernández", "García", "Martínez", "López", "Díaz",
                "Rojas", "Suárez", "Mendoza", "Ramírez", "Torres", "Contreras", "Gutiérrez", "Silva",
                "Briceño", "Colmenares", "Guerrero", "Parra", "Medina", "Castillo", "Blanco", "Marcano",
                "Zambrano", "Villalobos", "Urdaneta", "Chirinos", "Arteaga", "Bracho", "Figueroa", "Salazar",
                "Rivas", "Montilla", "Peña", "Moreno", "Sánchez", "Fernández")
_ANDEAN_MALE = ("Juan David", "Juan Sebastián", "Andrés Felipe", "Carlos Andrés", "Jhon Jairo", "Luis Fernando",
                "Wilson", "Diego", "Jorge", "Segundo", "Byron", "Darwin", "Édison", "Wilmer", "José", "Luis",
                "Carlos", "Juan", "Cristian", "Jefferson", "Jonathan", "Freddy", "Fabián")
_ANDEAN_FEMALE = ("Luz Marina", "María Fernanda", "Paola Andrea", "Diana Marcela", "Leidy", "Yuri", "Mónica",
                  "Gladys", "Johanna", "Maritza", "Mayra", "Jessenia", "María", "Ana", "Sandra", "Martha",
                  "Gloria", "Blanca", "Tatiana", "Erika", "Lina", "Carolina", "Rosa")
_ANDEAN_SURNAMES = ("Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez",
                    "Ramírez", "Pérez", "Díaz", "Muñoz", "Rojas", "Moreno", "Jiménez", "Valencia", "Cárdenas",
                    "Restrepo", "Ospina", "Quintero", "Zambrano", "Vera", "Cedeño", "Mero", "Macías",
                    "Quishpe", "Chicaiza", "Guamán", "Loor", "Andrade", "Morocho", "Tenesaca", "Guzmán")
_CU_MALE = ("Yoandri", "Yunior", "Yoel", "Yuniel", "Osmany", "Lázaro", "Yasmani", "Alexei", "Dairon",
            "Reinier", "Yordanis", "Adrián", "Ernesto", "Luis", "Carlos", "Jorge Luis", "Alain", "Yosvany",
            "Roberto", "Michel", "Raúl", "Leandro", "Yoan")
_CU_FEMALE = ("Yaima", "Yanelis", "Dayana", "Yudith", "Yamilé", "Yaritza", "Lisandra", "Yusleidys", "Odalys",
              "Marisleidys", "Liset", "Daylín", "Arianna", "Yanet", "Yuneisy", "Mayelín", "Dianelys",
              "Yadira", "Niurka", "Claudia", "Elizabeth", "Milagros")
_CU_SURNAMES = ("Rodríguez", "González", "Hernández", "Pérez", "García", "Díaz", "Fernández", "López",
                "Martínez", "Sánchez", "Álvarez", "Ramírez", "Gómez", "Suárez", "Cabrera", "Castillo", "Reyes",
                "Torres", "Fonseca", "Pupo", "Batista", "Leyva", "Cardoso", "Almeida", "Espinosa", "Peña",
                "Quintana", "Rosabal", "Mora", "Ricardo")
_LATAM_YOUNG_MALE = ("Santiago", "Sebastián", "Matías", "Samuel", "Thiago", "Alejandro", "Daniel", "Ángel",
                     "Gabriel", "Emmanuel", "Dylan", "Jesús", "David", "Mathías", "Juan José", "Nicolás")
_LATAM_YOUNG_FEMALE = ("Valentina", "Sofía", "Isabella", "Victoria", "Camila", "Salomé", "Mariana", "Luciana",
                       "Valeria", "Sara", "Antonella", "Emma", "Martina", "Génesis", "Ashley", "Allison")
_LATAM_SECOND_MALE = ("José", "Alejandro", "Antonio", "David", "Enrique", "Rafael", "Eduardo", "Javier",
                      "Ramón", "Alberto", "Miguel", "Ignacio")
_LATAM_SECOND_FEMALE = ("Alejandra", "Carolina", "Andrea", "Valentina", "Isabel", "Victoria", "Gabriela",
                        "del Valle", "Beatriz", "Lucía", "Milagros")


def _latam(code: str, male: tuple[str, ...], female: tuple[str, ...], surnames: tuple[str, ...],
           second_surname_rate: float) -> Culture:
    return Culture(
        code=code,
        male=zipf(male, 0.7),
        female=zipf(female, 0.7),
        young_male=blend((zipf(_LATAM_YOUNG_MALE, 0.7), 0.6), (zipf(male, 0.7), 0.4)),
        young_female=blend((zipf(_LATAM_YOUNG_FEMALE, 0.7), 0.6), (zipf(female, 0.7), 0.4)),
        second_male=zipf(_LATAM_SECOND_MALE),
        second_female=zipf(_LATAM_SECOND_FEMALE),
        double_name_rate=0.3,
        surnames=zipf(surnames, 0.9),
        # Forms filled abroad often keep only one surname (a Venezuelan "Pérez" rather than "Pérez Rojas").
        second_surname_rate=second_surname_rate,
        rule=SurnameRule.HISPANIC,
    )


# --- Haiti, and children born on the way (Brazil, Chile) -------------------------------------------

_HT_MALE = ("Jean", "Jean-Baptiste", "Mackenson", "Wilson", "Fritz", "Jean-Claude", "Evens", "Woodley",
            "Jackson", "Stevenson", "Peterson", "Ricardo", "Junior", "Jean-Robert", "Frantz", "Ernst", "Ronald",
            "Dieuseul", "Jonas", "Jean-Pierre", "Kervens", "Wilner", "Joseph", "Wesner", "Samuel", "Emmanuel",
            "Marc-Arthur", "Jean-Marc", "Lovensky", "Widmy")
_HT_FEMALE = ("Marie", "Wideline", "Rose-Marie", "Nadège", "Guerline", "Mirlande", "Nathalie", "Fabiola",
              "Lovely", "Sabine", "Manouchka", "Rose-Laure", "Marie-Ange", "Jessica", "Widline", "Roseline",
              "Medjine", "Darlene", "Kettia", "Fabienne", "Wislande", "Esther", "Islande", "Myrlande",
              "Marie-Carmelle", "Djenane", "Sherline", "Nahomie")
_HT_SECOND_MALE = ("Junior", "Emmanuel", "Wilson", "Claude", "Frantz", "Ronald", "Louis")
_HT_SECOND_FEMALE = ("Carmelle", "Marie", "Flore", "Mona", "Rose", "Ange", "Ketly")
_HT_SURNAMES = ("Jean", "Pierre", "Joseph", "Louis", "Charles", "Jean-Baptiste", "Dorvil", "Désir", "Exantus",
                "Saint-Fleur", "Augustin", "François", "Michel", "Alexis", "Étienne", "Paul", "Noël", "Baptiste",
                "Célestin", "Fils-Aimé", "Dorélien", "Bazile", "Cadet", "Estimé", "Jeudy", "Sylvain",
                "Thélusma", "Valcourt", "Jacques", "Lafortune", "Métellus", "Dieujuste", "Philippe", "Innocent")
# Haitian families who lived years in Brazil or Chile before walking north often have children
# born there, named in Portuguese or Chilean Spanish fashion.
_BR_MALE = ("Miguel", "Arthur", "Davi", "Gabriel", "Heitor", "Enzo", "Bernardo", "Pedro Henrique",
            "João Pedro", "Lucas", "Matheus", "Samuel", "Rafael", "Guilherme")
_BR_FEMALE = ("Alice", "Helena", "Laura", "Maria Eduarda", "Ana Clara", "Manuela", "Sophia", "Valentina",
              "Isabella", "Lívia", "Maria Luiza", "Heloísa", "Beatriz", "Lorena")
_CL_MALE = ("Agustín", "Benjamín", "Vicente", "Martín", "Tomás", "Maximiliano", "Joaquín", "Mateo", "Lucas")
_CL_FEMALE = ("Sofía", "Isidora", "Florencia", "Josefa", "Emilia", "Agustina", "Martina", "Trinidad", "Antonella")


def _single(code: str, male: tuple[str, ...], female: tuple[str, ...], surnames: tuple[str, ...],
            rule: SurnameRule = SurnameRule.SINGLE, double_name_rate: float = 0.0,
            second_male: tuple[str, ...] = ("Junior",), second_female: tuple[str, ...] = ("Marie",)) -> Culture:
    return Culture(
        code=code,
        male=zipf(male, 0.7),
        female=zipf(female, 0.7),
        young_male=zipf(male, 0.7),
        young_female=zipf(female, 0.7),
        second_male=zipf(second_male),
        second_female=zipf(second_female),
        double_name_rate=double_name_rate,
        surnames=zipf(surnames, 0.8),
        second_surname_rate=0.0,
        rule=rule,
    )


# --- Extra-continental arrivals -------------------------------------------------------------------

_IN_MALE = ("Gurpreet", "Harpreet", "Manpreet", "Jaspreet", "Amandeep", "Sandeep", "Hardeep", "Kuldeep",
            "Gurjeet", "Lovepreet", "Jagdeep")
_IN_FEMALE = ("Gurleen", "Simran", "Manjit", "Harjit", "Kiranjit", "Jasleen", "Amanpreet", "Navneet",
              "Rajwinder")
# Punjabi Sikh families (most Indians reaching the US-Mexico border) and Hindi-speaking families.
_IN_SIKH_SURNAMES = ("Singh", "Kaur", "Gill", "Sandhu", "Sidhu", "Dhillon", "Brar", "Grewal")
_IN_HINDI_MALE = ("Rajesh", "Amit", "Vikram", "Rahul", "Sunil", "Ankit", "Ravi", "Sanjay", "Vijay")
_IN_HINDI_FEMALE = ("Priya", "Pooja", "Neha", "Sunita", "Anjali", "Kavita", "Rekha", "Sonia")
_IN_HINDI_SURNAMES = ("Patel", "Kumar", "Sharma", "Chaudhary", "Parmar", "Yadav", "Verma", "Gupta")
_SN_MALE = ("Mamadou", "Moussa", "Abdoulaye", "Ousmane", "Ibrahima", "Cheikh", "Modou", "Babacar", "Aliou",
            "Mouhamed", "Pape")
_SN_FEMALE = ("Fatou", "Aminata", "Awa", "Mariama", "Khady", "Ndeye", "Aïssatou", "Coumba", "Astou", "Bineta")
_SN_SURNAMES = ("Diallo", "Ndiaye", "Diop", "Fall", "Sow", "Ba", "Mbaye", "Sarr", "Gueye", "Faye", "Cissé",
                "Niang", "Seck", "Thiam")
_CN_MALE = ("Wei", "Jie", "Lei", "Jun", "Hao", "Tao", "Yong", "Qiang", "Ming", "Chao")
_CN_FEMALE = ("Fang", "Jing", "Li Na", "Yan", "Min", "Xiuying", "Hui", "Xiaoling", "Ying")
_CN_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Lin", "Xu")
_RU_MALE = ("Alexei", "Dmitri", "Sergei", "Andrei", "Ivan", "Mikhail", "Nikolai", "Pavel", "Artyom", "Maxim")
_RU_FEMALE = ("Irina", "Olga", "Anna", "Elena", "Natalia", "Tatiana", "Maria", "Svetlana", "Ekaterina", "Yulia")
# Written in the masculine form; the feminine adds an "a" (Ivanov, Ivanova).
_RU_SURNAMES = ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Volkov", "Petrov", "Morozov",
                "Lebedev", "Kozlov", "Fomin", "Orlov")
_ER_MALE = ("Yonas", "Filmon", "Mehari", "Samuel", "Daniel", "Robel", "Teklay", "Habtom", "Amanuel", "Yohannes",
            "Tesfay", "Kidane", "Berhane", "Haile", "Tekle", "Asmerom", "Mebrahtu", "Efrem")
_ER_FEMALE = ("Senait", "Helen", "Luwam", "Selam", "Saba", "Ruth", "Winta", "Feven", "Hiwet", "Yordanos")

CULTURES: dict[str, Culture] = {
    **{country: _meso(country) for country in ("HN", "GT", "SV", "NI", "MX")},
    "VE": _latam("VE", _VE_MALE, _VE_FEMALE, _VE_SURNAMES, 0.85),
    "CO": _latam("CO", _ANDEAN_MALE, _ANDEAN_FEMALE, _ANDEAN_SURNAMES, 0.9),
    "EC": _latam("EC", _ANDEAN_MALE, _ANDEAN_FEMALE, _ANDEAN_SURNAMES, 0.92),
    "CU": _latam("CU", _CU_MALE, _CU_FEMALE, _CU_SURNAMES, 0.9),
    "HT": _single("HT", _HT_MALE, _HT_FEMALE, _HT_SURNAMES, double_name_rate=0.12,
                  second_male=_HT_SECOND_MALE, second_female=_HT_SECOND_FEMALE),
    "BR": _single("BR", _BR_MALE, _BR_FEMALE, _HT_SURNAMES),
    "CL": _single("CL", _CL_MALE, _CL_FEMALE, _HT_SURNAMES),
    "IN": _single("IN", _IN_MALE, _IN_FEMALE, _IN_SIKH_SURNAMES, rule=SurnameRule.SIKH),
    "IN-HI": _single("IN", _IN_HINDI_MALE, _IN_HINDI_FEMALE, _IN_HINDI_SURNAMES),
    "SN": _single("SN", _SN_MALE, _SN_FEMALE, _SN_SURNAMES),
    "CN": _single("CN", _CN_MALE, _CN_FEMALE, _CN_SURNAMES),
    "RU": _single("RU", _RU_MALE, _RU_FEMALE, _RU_SURNAMES, rule=SurnameRule.SLAVIC),
    # Eritrean "surnames" are fathers' given names.
    "ER": _single("ER", _ER_MALE, _ER_FEMALE, _ER_MALE, rule=SurnameRule.PATRONYMIC),
}


# --- Other names ----------------------------------------------------------------------------------

# Hypocorisms people answer to, keyed by one given name. Registration staff record them because people
# give them when asked their name, and a duplicate detector must see "Chepe López" in "José López".
NICKNAMES: dict[str, tuple[str, ...]] = {
    "José": ("Pepe", "Chepe"), "Jesús": ("Chuy", "Chucho"), "Francisco": ("Paco", "Pancho", "Chico"),
    "Guadalupe": ("Lupita", "Lupe"), "Rosario": ("Chayo",), "Guillermo": ("Memo",), "Ignacio": ("Nacho",),
    "Antonio": ("Toño",), "Alberto": ("Beto",), "Roberto": ("Beto",), "Humberto": ("Beto",),
    "Adalberto": ("Beto",), "Enrique": ("Quique",), "Manuel": ("Manolo",), "Concepción": ("Conchita", "Concha"),
    "Dolores": ("Lola", "Lolita"), "Eduardo": ("Lalo",), "Rafael": ("Rafa",), "Alejandro": ("Alex",),
    "Alejandra": ("Ale",), "Mercedes": ("Meche",), "Ramón": ("Moncho",), "Santiago": ("Chago",),
    "Luis": ("Güicho",), "Ricardo": ("Richi",), "Rodolfo": ("Fito",), "Gregorio": ("Goyo",),
    "Isabel": ("Chabela",), "Josefina": ("Chepita", "Pepa"), "Juan": ("Juancho",), "Refugio": ("Cuco",),
    "Jorge": ("Coque",), "Salvador": ("Chava",), "Teresa": ("Tere",), "Cristian": ("Cris",),
    "Jonathan": ("Jona",), "Domingo": ("Mingo",), "Ana": ("Anita",), "Leticia": ("Lety",),
    "Patricia": ("Paty",), "Verónica": ("Vero",), "Gabriela": ("Gaby",), "Fernanda": ("Fer",),
    "Daniela": ("Dani",), "Sofía": ("Sofi",), "Valentina": ("Vale",), "Yolanda": ("Yoli",),
    "Graciela": ("Chela",), "Socorro": ("Coco",), "Consuelo": ("Chelo",), "Margarita": ("Magui",),
    "Carmen": ("Carmencita",), "Jean": ("Ti Jean",), "Jean-Baptiste": ("Ti Jean",), "Joseph": ("Jojo",),
}
# Compound given names with their own hypocorism.
COMPOUND_NICKNAMES: dict[str, tuple[str, ...]] = {
    "José María": ("Chema",), "María de los Ángeles": ("Marielos",), "María Isabel": ("Maribel",),
    "María Elena": ("Malena",), "María Teresa": ("Maite",), "María del Rosario": ("Chayo",),
    "María Guadalupe": ("Lupita",), "José Guadalupe": ("Lupe",), "Luis Alejandro": ("Luisito",),
}
# The same name as it is also spelt; records of one person carry either.
SPELLING_VARIANTS: dict[str, str] = {
    "Yeferson": "Jefferson", "Jefferson": "Yeferson", "Brayan": "Bryan", "Yessenia": "Jessenia",
    "Jessenia": "Yessenia", "Jhonny": "Johnny", "Cristian": "Christian", "Heydi": "Heidy", "Heidy": "Heydi",
    "Lesly": "Leslie", "Erick": "Eric", "Yoselin": "Joselyn", "Estefany": "Stephanie", "Yaritza": "Jaritza",
    "Jonathan": "Yonatan", "Wideline": "Widline", "Widline": "Wideline", "Mackenson": "Makenson",
    "Xiomara": "Siomara", "Yorman": "Jorman", "Jhon Jairo": "John Jairo", "Nahomi": "Noemí",
}
