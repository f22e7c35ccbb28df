"""Places and the words for their peoples: "Chinese" is about China, "Azerbaijani" about Azerbaijan
(and the two US parties and their members, which news names the same way: "Republicans" / "GOP").

A headline says "Chinese hunter ..." over a body that says "China" twice; "Russian
peacekeepers" over "Russia". Most demonyms are the place name plus an ending
("Azerbaijan-i", "Russia-n", "Kenya-n"), which ``same_place`` catches by rule; the table
holds the ones no rule reaches ("Chinese"/"China", "French"/"France", "Dutch"/"the
Netherlands"), for countries, the regions news names most, and a few cities.

    same_place("chinese", "china")  # True
    same_place("austria", "australian")  # False
"""

from __future__ import annotations

# place -> the words for its people and things, where the rule below misses them.
_IRREGULAR = {
    "afghanistan": "afghan afghans", "argentina": "argentine argentinian argentines", "bangladesh": "bangladeshi",
    "belgium": "belgian belgians", "brazil": "brazilian brazilians", "britain": "british briton britons brit brits",
    "uk": "british briton britons", "united kingdom": "british briton britons", "burma": "burmese",
    "myanmar": "burmese myanmarese", "chile": "chilean chileans", "china": "chinese", "croatia": "croat croats croatian",
    "cyprus": "cypriot cypriots", "czechia": "czech czechs", "czech republic": "czech czechs", "denmark": "danish dane danes",
    "egypt": "egyptian egyptians", "england": "english englishman", "finland": "finnish finn finns",
    "france": "french frenchman frenchmen", "germany": "german germans", "greece": "greek greeks",
    "holland": "dutch", "netherlands": "dutch dutchman", "iceland": "icelandic icelander icelanders",
    "iraq": "iraqi iraqis", "ireland": "irish irishman", "israel": "israeli israelis", "japan": "japanese",
    "kuwait": "kuwaiti kuwaitis", "lebanon": "lebanese", "madagascar": "malagasy", "malta": "maltese",
    "monaco": "monegasque", "morocco": "moroccan moroccans", "new zealand": "new zealander kiwi",
    "norway": "norwegian norwegians", "pakistan": "pakistani pakistanis", "peru": "peruvian peruvians",
    "philippines": "filipino filipinos filipina philippine", "poland": "polish pole poles",
    "portugal": "portuguese", "qatar": "qatari qataris", "saudi arabia": "saudi saudis", "scotland": "scottish scot scots",
    "senegal": "senegalese", "slovakia": "slovak slovaks", "slovenia": "slovene slovenian slovenes",
    "spain": "spanish spaniard spaniards", "sudan": "sudanese", "sweden": "swedish swede swedes",
    "switzerland": "swiss", "taiwan": "taiwanese", "thailand": "thai thais", "turkey": "turkish turk turks",
    "united states": "american americans us u.s.", "america": "american americans", "usa": "american americans",
    "vietnam": "vietnamese", "wales": "welsh", "yemen": "yemeni yemenis", "somalia": "somali somalis",
    "oman": "omani omanis", "bahrain": "bahraini bahrainis", "uzbekistan": "uzbek uzbeks", "kazakhstan": "kazakh kazakhs",
    "kyrgyzstan": "kyrgyz", "tajikistan": "tajik tajiks", "turkmenistan": "turkmen", "tibet": "tibetan tibetans",
    "kurdistan": "kurdish kurd kurds", "catalonia": "catalan catalans", "flanders": "flemish", "gaza": "gazan gazans",
    "palestine": "palestinian palestinians", "crimea": "crimean", "donbas": "donbas", "kosovo": "kosovar kosovan",
    "congo": "congolese", "ivory coast": "ivorian", "ghana": "ghanaian ghanaians", "nepal": "nepali nepalese",
    "sri lanka": "sri lankan", "hungary": "hungarian hungarians magyar", "cuba": "cuban cubans",
    "mexico": "mexican mexicans", "canada": "canadian canadians", "iran": "iranian iranians persian",
    "syria": "syrian syrians", "jordan": "jordanian jordanians", "libya": "libyan libyans", "tunisia": "tunisian",
    "algeria": "algerian algerians", "venezuela": "venezuelan venezuelans", "colombia": "colombian colombians",
    "europe": "european europeans", "eu": "european", "european union": "european", "africa": "african africans",
    "asia": "asian asians", "arabia": "arab arabs arabian", "london": "londoner londoners", "moscow": "muscovite muscovites",
    "paris": "parisian parisians", "new york": "new yorker new yorkers", "texas": "texan texans",
    "california": "californian californians", "italy": "italian italians", "chechnya": "chechen chechens",
    "gop": "republican republicans", "republican party": "republican republicans gop",
    "democratic party": "democrat democrats democratic", "panama": "panamanian panamanians", "honduras": "honduran hondurans", "korea": "korean koreans",
}
# Names of one place.
_SAME = [{"united states", "america", "usa", "us", "u.s.", "u.s", "united states of america"},
         {"uk", "u.k.", "britain", "great britain", "united kingdom"}, {"netherlands", "holland"},
         {"burma", "myanmar"}, {"czechia", "czech republic"}, {"eu", "european union", "europe"}]
# a people's word -> the places it names ("american" -> america, united states, usa)
_PEOPLE: dict[str, set[str]] = {}
for place, words in _IRREGULAR.items():
    for word in words.split():
        _PEOPLE.setdefault(word, set()).add(place)
del place, words, word
# Endings that turn a place into its people's word: Azerbaijan-i, Russia-n, Kenya-n, Israel-i, Armenia-n.
_ENDINGS = ("ian", "ians", "an", "ans", "n", "ns", "i", "is", "ese", "ish", "ic", "er", "ers")


def _places(word: str) -> set[str]:
    """The places a word can name: itself, those whose people it names, and their other names."""
    places = {word} | _PEOPLE.get(word, set())
    return places.union(*(group for group in _SAME if group & places))


def same_place(a: str, b: str) -> bool:
    """Do two lower-cased words or names name the same place or its people? "chinese"/"china",
    "azerbaijani"/"azerbaijan", "russians"/"russia", "u.s."/"american"; not "austria"/"australian"."""
    a, b = a.lower(), b.lower()
    if _places(a) & _places(b):
        return True
    for x, y in ((a, b), (b, a)):
        if len(y) >= 4 and any(x == y + e or x == y.removesuffix("a") + e or x == y.removesuffix("e") + e
                               for e in _ENDINGS):
            return True
    return False
