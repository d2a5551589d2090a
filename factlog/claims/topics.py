"""Topics: the keys claims are filed under ("us-foreign-policy", as editors type them) and the labels readers
see ("US foreign policy").

A key stays what the editor wrote (the timeline's address and the webhooks' filter). Its label is derived:
hyphens and underscores become spaces, the first letter is capitalised, acronyms are upper-case, and
places, peoples and other proper names keep their capitals ("south-korea" is "South Korea"). A key written
with capitals already ("Strait of Hormuz") is its own label.
"""
from __future__ import annotations

import functools
import re

ACRONYMS = frozenset("""
    us usa uk un eu nato uae ussr g7 g20 imf icc icj iaea opec osce oecd wto who asean brics irgc idf cia fbi
    nsa dod gdp ai covid covid-19 atacms hiv nhs lgbt lgbtq
""".split())

# Single words always capitalised: countries, regions, cities, peoples and a few institutions.
PROPER_WORDS = frozenset("""
    afghanistan albania algeria angola argentina armenia australia austria azerbaijan bahrain bangladesh
    belarus belgium bolivia bosnia brazil bulgaria burma cambodia cameroon canada chad chile china colombia
    congo croatia cuba cyprus czechia denmark ecuador egypt eritrea estonia ethiopia finland france georgia
    germany ghana greece guatemala haiti honduras hungary iceland india indonesia iran iraq ireland israel
    italy japan jordan kazakhstan kenya korea kosovo kuwait kyrgyzstan laos latvia lebanon libya lithuania
    luxembourg mali malta mexico moldova mongolia montenegro morocco mozambique myanmar nepal netherlands
    nicaragua niger nigeria norway oman pakistan palestine panama paraguay peru philippines poland portugal
    qatar romania russia rwanda serbia singapore slovakia slovenia somalia spain sudan sweden switzerland
    syria taiwan tajikistan tanzania thailand tunisia turkey türkiye turkmenistan uganda ukraine uruguay
    uzbekistan venezuela vietnam yemen zambia zimbabwe
    africa asia europe america americas arctic antarctica baltic baltics balkans caucasus caribbean sahel
    gaza crimea donbas donetsk luhansk kherson zaporizhzhia kursk kyiv moscow beijing washington brussels
    london paris berlin tehran seoul pyongyang taipei jerusalem hormuz kashmir tibet xinjiang
    american americans russian russians ukrainian ukrainians chinese korean koreans european europeans
    african africans israeli israelis palestinian palestinians iranian iranians british french german
    germans arab arabs kurdish kurds houthi houthis hamas hezbollah taliban kremlin pentagon congress
    brexit oreshnik
""".split())

# Names of more than one word, capitalised as a whole ("west bank" is not "West bank").
_SEPARATORS = re.compile(r"[-_\s]+")
PROPER_PHRASES = {tuple(_SEPARATORS.split(phrase.lower())): phrase.split() for phrase in (
    "Middle East", "West Bank", "Red Sea", "Black Sea", "South China Sea", "United States", "United Kingdom",
    "United Nations", "European Union", "White House", "New York", "Saudi Arabia", "South Africa",
    "Gaza Strip", "Persian Gulf", "Sri Lanka", "New Zealand", "El Salvador", "Costa Rica",
    "North Macedonia", "Ivory Coast", "Hong Kong", "Latin America", "Security Council", "Supreme Court",
    "State Department", "Strait of Hormuz", "Horn of Africa", "Indo-Pacific")}
COMPASS = frozenset("north south east west northern southern eastern western central".split())
_LONGEST_PHRASE = max(len(words) for words in PROPER_PHRASES)


@functools.lru_cache(maxsize=4096)
def topic_label(topic: str) -> str:
    """The label readers see for a topic key: "us-foreign-policy" is "US foreign policy"."""
    if topic != topic.lower():
        return topic  # the editor capitalised it: their label
    words = _words(topic)
    shown: list[str] = []
    index = 0
    while index < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - index), 1, -1):
            phrase = PROPER_PHRASES.get(tuple(words[index:index + size]))
            if phrase:
                shown += phrase
                index += size
                break
        else:
            shown.append(_word(words, index))
            index += 1
    label = " ".join(shown)
    return label[:1].upper() + label[1:]


def _words(topic: str) -> list[str]:
    words: list[str] = []
    for word in _SEPARATORS.split(topic.strip()):
        if words and word.isdigit() and f"{words[-1]}-{word}" in ACRONYMS:
            words[-1] = f"{words[-1]}-{word}"  # COVID-19
        elif word:
            words.append(word)
    return words


def _word(words: list[str], index: int) -> str:
    word = words[index]
    if word in ACRONYMS:
        return word.upper()
    if word in PROPER_WORDS:
        return word.capitalize()
    if word in COMPASS and index + 1 < len(words) and words[index + 1] in PROPER_WORDS:
        return word.capitalize()  # part of the name: South Korea, East Asia
    return word
