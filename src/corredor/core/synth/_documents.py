"""Identity document numbers with the shape (and, where public, the check digit) of the real ones.

Numbers are unique within one run for each series: a serial per series is passed through a bijection
modulo the series' size (multiply by a constant near the golden section of the modulus and prime to it,
add an offset drawn for the series), so consecutive numbers look scattered yet never repeat while fewer
than `modulus` numbers of a series are issued (far beyond a million people).
Municipality digits inside Honduran and Guatemalan numbers are illustrative, not the official codes.
"""

from __future__ import annotations

import operator
import random
import unicodedata
from datetime import date
from math import gcd

from corredor.core.registry.vocab import Sex

_GOLDEN_SECTION = 0.6180339887498949

# Honduran department numbers (the first two digits of a DNI): the departments in alphabetical order.
HN_DEPARTMENT_NUMBERS: dict[str, int] = {
    "HN-AT": 1, "HN-CL": 2, "HN-CM": 3, "HN-CP": 4, "HN-CR": 5, "HN-CH": 6, "HN-EP": 7, "HN-FM": 8, "HN-GD": 9,
    "HN-IN": 10, "HN-IB": 11, "HN-LP": 12, "HN-LE": 13, "HN-OC": 14, "HN-OL": 15, "HN-SB": 16, "HN-VA": 17,
    "HN-YO": 18,
}
# CURP two-letter codes of the federal entity of birth (RENAPO).
CURP_STATE_CODES: dict[str, str] = {
    "MX-AGU": "AS", "MX-BCN": "BC", "MX-BCS": "BS", "MX-CAM": "CC", "MX-COA": "CL", "MX-COL": "CM",
    "MX-CHP": "CS", "MX-CHH": "CH", "MX-CMX": "DF", "MX-DUR": "DG", "MX-GUA": "GT", "MX-GRO": "GR",
    "MX-HID": "HG", "MX-JAL": "JC", "MX-MEX": "MC", "MX-MIC": "MN", "MX-MOR": "MS", "MX-NAY": "NT",
    "MX-NLE": "NL", "MX-OAX": "OC", "MX-PUE": "PL", "MX-QUE": "QT", "MX-ROO": "QR", "MX-SLP": "SP",
    "MX-SIN": "SL", "MX-SON": "SR", "MX-TAB": "TC", "MX-TAM": "TS", "MX-TLA": "TL", "MX-VER": "VZ",
    "MX-YUC": "YN", "MX-ZAC": "ZS",
}
# Ecuadorian province numbers (the first two digits of a cédula).
EC_PROVINCE_NUMBERS: dict[str, int] = {
    "EC-A": 1, "EC-F": 3, "EC-H": 6, "EC-O": 7, "EC-G": 9, "EC-M": 13, "EC-P": 17,
}
# Leading three digits of a Nicaraguan cédula by department (illustrative, except 001 for Managua).
NI_MUNICIPALITY_CODES: dict[str, str] = {
    "NI-MN": "001", "NI-CA": "041", "NI-CI": "081", "NI-ES": "161", "NI-GR": "201", "NI-JI": "241",
    "NI-LE": "281", "NI-MS": "401", "NI-MT": "441", "NI-AN": "601",
}
# Passport number shapes: possible leading letters and the count of digits after them. Plausible
# shapes only; no claim about any country's real series.
PASSPORT_SHAPES: dict[str, tuple[str, int]] = {
    "HN": ("EF", 7), "GT": ("G", 8), "SV": ("AB", 7), "NI": ("C", 7), "MX": ("GN", 8), "VE": ("", 9),
    "CU": ("KL", 6), "CO": ("AT", 6), "EC": ("A", 7), "HT": ("PR", 7), "IN": ("NPRTUVWZ", 7),
    "SN": ("A", 8), "CN": ("E", 8), "RU": ("", 9), "ER": ("P", 7), "BR": ("FG", 6), "CL": ("", 9),
}

_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
_CURP_VALUE = {character: value for value, character in enumerate(_CURP_ALPHABET)}
_CURP_PARTICLES = frozenset({"DA", "DAS", "DE", "DEL", "DER", "DI", "DIE", "DD", "EL", "LA", "LAS", "LE",
                             "LES", "LOS", "MAC", "MC", "VAN", "VON", "Y"})
_CURP_COMMON_FIRST_NAMES = frozenset({"JOSE", "J", "MARIA", "MA", "M"})
# RENAPO replaces the second letter of these four-letter starts with an X.
_CURP_INCONVENIENT = frozenset(
    "BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO "
    "GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO "
    "LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE "
    "PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI "
    "WUEY".split()
)
_VOWELS = frozenset("AEIOU")
_NI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"


def curp_words(name: str) -> list[str]:
    """Upper-case ASCII words, Ñ written X as RENAPO does, particles (DE, LA, DEL...) dropped."""
    upper = name.upper().replace("Ñ", "X")
    ascii_only = unicodedata.normalize("NFKD", upper).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(character if character.isalpha() else " " for character in ascii_only)
    words = [word for word in cleaned.split() if word not in _CURP_PARTICLES]
    return words or ["X"]


def _first_inner(word: str, vowels: bool) -> str:
    for character in word[1:]:
        if (character in _VOWELS) == vowels:
            return character
    return "X"


def _curp_letters(name: str, given: bool) -> tuple[str, str, str]:
    """The name's initial, first inner vowel and first inner consonant, as a CURP uses them.

    For given names, a first name José or María is skipped when another follows (RENAPO's rule).
    """
    words = curp_words(name)
    word = words[1] if given and len(words) > 1 and words[0] in _CURP_COMMON_FIRST_NAMES else words[0]
    return word[0], _first_inner(word, vowels=True), _first_inner(word, vowels=False)


_CURP_WEIGHTS = tuple(range(18, 1, -1))


def curp_check_digit(first17: str) -> str:
    """The 18th character of a CURP, computed from the first 17."""
    total = sum(map(operator.mul, map(_CURP_VALUE.__getitem__, first17), _CURP_WEIGHTS))
    return str((10 - total % 10) % 10)


def _weighted_digits(number: int, weights_from_last: tuple[int, ...]) -> int:
    total = 0
    for weight in weights_from_last:
        number, digit = divmod(number, 10)
        total += digit * weight
    return total


_DUI_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)  # from the last of 8 digits to the first
_CUI_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def dui_check_digit(digits8: str) -> int:
    """El Salvador's DUI verification digit: weights 9..2, then 10 minus the sum modulo 10."""
    return (10 - _weighted_digits(int(digits8), _DUI_WEIGHTS) % 10) % 10


def cui_check_digit(digits8: str) -> int:
    """Guatemala's CUI verification digit: weights 2..9, sum modulo 11 (10 means "never issued")."""
    return _weighted_digits(int(digits8), _CUI_WEIGHTS) % 11


def ecuador_check_digit(digits9: str) -> int:
    """Ecuador's cédula verification digit: alternate weights 2,1,2..., digits of products summed."""
    total = 0
    for position, digit in enumerate(digits9):
        product = int(digit) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _multiplier(modulus: int) -> int:
    """A multiplier prime to `modulus` near its golden section, so successive serials land far apart."""
    candidate = max(1, int(modulus * _GOLDEN_SECTION))
    while gcd(candidate, modulus) != 1:
        candidate += 1
    return candidate


class DocumentNumbers:
    """Issues document numbers for one run; its state is a counter (and offset) per series."""

    __slots__ = ("_counters", "_curp_names", "_offsets", "_scrambled_series")

    def __init__(self, rng: random.Random) -> None:
        self._counters: dict[object, int] = {}
        self._scrambled_series: dict[object, list[int]] = {}  # series -> [next serial, multiplier, offset]
        self._curp_names: dict[tuple[str, bool], tuple[str, str, str]] = {}  # one entry per distinct name
        self._offsets = rng  # the generator's own stream: one offset is drawn when a series first appears

    def _curp_name(self, name: str, given: bool) -> tuple[str, str, str]:
        letters = self._curp_names.get((name, given))
        if letters is None:
            letters = self._curp_names[name, given] = _curp_letters(name, given)
        return letters

    def _serial(self, series: object) -> int:
        serial = self._counters.get(series, 0)
        self._counters[series] = serial + 1
        return serial

    def _scrambled(self, series: object, modulus: int) -> int:
        state = self._scrambled_series.get(series)
        if state is None:
            state = self._scrambled_series[series] = [0, _multiplier(modulus), self._offsets.randrange(modulus)]
        serial = state[0]
        state[0] = serial + 1
        return (serial * state[1] + state[2]) % modulus

    def honduras_dni(self, region: str, municipality_index: int, birth_year: int) -> str:
        """13 digits: department, municipality, year of birth, then a 5-digit registration serial."""
        department = HN_DEPARTMENT_NUMBERS[region]
        municipality = municipality_index + 1
        serial = self._scrambled(("HN", department, municipality, birth_year), 100_000)
        return f"{department:02d}{municipality:02d}{birth_year:04d}{serial:05d}"

    def guatemala_cui(self, region: str, municipality_index: int) -> str:
        """The DPI's 13-digit CUI: 8-digit serial, check digit, department (01-22), municipality."""
        while True:
            body = self._scrambled("GT-CUI", 100_000_000)
            check = _weighted_digits(body, _CUI_WEIGHTS) % 11
            if check != 10:  # serials whose check would be 10 are skipped, as the registry does
                return f"{body:08d}{check}{region[3:]}{municipality_index + 1:02d}"

    def el_salvador_dui(self) -> str:
        """'01234567-8': eight digits (issued numbers start with 0), a hyphen and the check digit."""
        body = self._scrambled("SV-DUI", 10_000_000)
        return f"{body:08d}-{(10 - _weighted_digits(body, _DUI_WEIGHTS) % 10) % 10}"

    def mexico_curp(self, *, given_names: str, first_surname: str, second_surname: str, birth: date,
                    sex: Sex, region: str) -> str:
        """The 18-character CURP, built by RENAPO's rules from name, birth date, sex and state of birth."""
        initial1, vowel1, consonant1 = self._curp_name(first_surname, given=False)
        initial2, _, consonant2 = self._curp_name(second_surname, given=False) if second_surname else ("X", "", "X")
        initial3, _, consonant3 = self._curp_name(given_names, given=True)
        start = initial1 + vowel1 + initial2 + initial3
        if start in _CURP_INCONVENIENT:
            start = start[0] + "X" + start[2:]
        sex_letter = "M" if sex is Sex.FEMALE else "H"
        prefix = (
            f"{start}{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{sex_letter}"
            f"{CURP_STATE_CODES.get(region, 'NE')}{consonant1}{consonant2}{consonant3}"
        )
        serial = self._serial(("MX-CURP", prefix))
        # The 17th character tells the century: a digit before 2000, a letter from 2000 on.
        homonym = str(serial % 10) if birth.year < 2000 else _CURP_ALPHABET[10 + serial % 26]
        first17 = prefix + homonym
        return first17 + curp_check_digit(first17)

    def nicaragua_cedula(self, municipality_code: str, birth: date) -> str:
        """'001-150390-0001A': municipality, birth date (DDMMYY), serial, and a check letter."""
        serial = self._serial(("NI", municipality_code, birth)) + 1
        day_month_year = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"
        letter = _NI_LETTERS[int(f"{municipality_code}{day_month_year}{serial:04d}") % 23]
        return f"{municipality_code}-{day_month_year}-{serial:04d}{letter}"

    def ecuador_cedula(self, region: str) -> str:
        """Ten digits: province, a third digit below 6 (natural persons), serial and check digit."""
        province = EC_PROVINCE_NUMBERS.get(region, 9)
        body = self._scrambled("EC", 6_000_000)
        digits9 = f"{province:02d}{body:07d}"
        return f"{digits9}{ecuador_check_digit(digits9)}"

    def venezuela_cedula(self) -> str:
        """'V-' and a 7- or 8-digit number."""
        return f"V-{5_000_000 + self._scrambled('VE', 25_000_000)}"

    def colombia_cedula(self, birth_year: int) -> str:
        """Ten digits starting with 1 for people registered since the 2000s, eight before."""
        if birth_year >= 1985:
            return f"10{self._scrambled('CO-10', 100_000_000):08d}"
        return str(10_000_000 + self._scrambled("CO-8", 90_000_000))

    def cuba_identity_number(self, birth: date, sex: Sex) -> str:
        """Eleven digits: YYMMDD, a century digit, a serial and a digit whose parity gives the sex."""
        serial = self._serial(("CU", birth))
        century = (serial // 1000) % 6 if birth.year < 2000 else 6 + (serial // 1000) % 3
        parity = 1 if sex is Sex.FEMALE else 0
        return (f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{century}{serial % 1000:03d}"
                f"{2 * ((serial * 7) % 5) + parity}")

    def haiti_nin(self) -> str:
        """A 10-digit national identification number."""
        return f"{self._scrambled('HT', 10_000_000_000):010d}"

    def india_aadhaar(self) -> str:
        """Twelve digits, never starting with 0 or 1."""
        return str(200_000_000_000 + self._scrambled("IN", 800_000_000_000))

    def russia_internal_passport(self) -> str:
        """Ten digits: four of series, six of number."""
        return f"{self._scrambled('RU', 10_000_000_000):010d}"

    def china_resident_id(self, birth: date, sex: Sex) -> str:
        """18 characters: a Fuzhou-area region code, YYYYMMDD, serial (odd for men) and ISO 7064 check."""
        serial = self._serial(("CN", birth))
        region = ("350102", "350104", "350181", "350111")[serial % 4]
        sequence = (serial // 4) * 2 + (1 if sex is Sex.MALE else 0)
        body = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence % 1000:03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
        return body + "10X98765432"[total % 11]

    def passport(self, country: str) -> str:
        """A passport number of the country's usual shape (letters and digits)."""
        letters, digit_count = PASSPORT_SHAPES.get(country, ("P", 7))
        modulus = 10**digit_count
        serial = self._scrambled(("passport", country), modulus)
        letter = letters[serial % len(letters)] if letters else ""
        return f"{letter}{str(modulus + serial)[1:]}"  # zero-padded to digit_count

    def birth_certificate(self, country: str, birth_year: int) -> str:
        """A civil-registry entry number: year of registration and a serial."""
        return f"{birth_year}-{self._scrambled(('birth', country, birth_year), 1_000_000):06d}"

    def a_number(self) -> str:
        """A US alien registration number, 'A' and nine digits (recent ones start with 2)."""
        return f"A2{self._scrambled('A', 100_000_000):08d}"

    def unhcr_certificate(self, year: int) -> str:
        """An illustrative UNHCR registration reference for people registered in Mexico."""
        return f"MEX-{year % 100:02d}-{self._scrambled(('UNHCR', year), 1_000_000):06d}"
