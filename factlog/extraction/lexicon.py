"""Words that tell what kind of source a name is, and which words are titles rather than names.

General English and newsroom knowledge, not a list of the sources in any one text: wire services and
papers by their usual names, the heads of organization and government names, nouns for unnamed sources.
"""
from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The words of text, as a set: lists below stay readable as plain lines."""
    return frozenset(text.split())


# Outlets by name (normalized: lower case, no leading "the"), and words an outlet's name ends with.
OUTLETS = frozenset({
    "reuters", "ap", "associated press", "afp", "agence france-presse", "bloomberg", "bloomberg news", "bbc",
    "cnn", "npr", "al jazeera", "tass", "ria novosti", "interfax", "xinhua", "yonhap", "kyodo", "politico",
    "axios", "fox news", "nbc", "nbc news", "cbs", "cbs news", "abc", "abc news", "sky news", "le monde",
    "der spiegel", "haaretz", "guardian", "economist", "financial times", "ft", "new york times", "nyt",
    "washington post", "wall street journal", "wsj", "times", "post", "kommersant", "izvestia", "dpa",
    "efe", "ansa", "nhk", "cnbc", "the hill", "semafor", "vedomosti", "meduza", "kyiv independent",
    "ukrainska pravda", "korea herald", "korea times", "jerusalem post", "times of israel", "irna", "kcna",
    "isna", "fars", "tasnim", "anadolu", "wafa", "sana", "saba", "breaking defense", "defense news",
})
OUTLET_ENDINGS = words("times post journal news herald tribune gazette telegraph guardian press wire radio "
                        "television tv magazine daily chronicle observer monitor standard independent "
                        "broadcasting broadcaster newspaper agency courier dispatch ledger inquirer bulletin "
                        "register examiner courant mirror express review")
OUTLET_NOUNS = words("media newspaper newspapers paper broadcaster outlet outlets daily tabloid agency press "
                      "magazine website")

GOVERNMENT_WORDS = words(
    "ministry department government kremlin pentagon cabinet parliament congress senate embassy army navy "
    "corps command forces administration presidency duma knesset bundestag assembly police military "
    "commission court white house office mission")
CAPITALS = words(
    "moscow kyiv kiev seoul pyongyang beijing washington tehran tokyo london paris berlin brussels ankara "
    "jerusalem riyadh cairo damascus baghdad kabul islamabad delhi minsk warsaw budapest rome madrid "
    "ottawa canberra taipei hanoi manila jakarta doha abuja nairobi caracas havana tbilisi yerevan baku "
    "sanaa beirut amman tallinn riga vilnius helsinki stockholm oslo copenhagen vienna bern prague "
    "bucharest sofia belgrade chisinau")
ORGANIZATION_WORDS = words(
    "institute university center centre foundation group company corporation corp inc ltd llc bank fund "
    "association movement party union organization organisation committee coalition alliance network "
    "initiative forum society watch international federation league lab laboratory council trust club "
    "program programme project school college academy think-tank firm health energy capital partners "
    "holdings systems technologies motors airlines pharmaceuticals industries services solutions")

POLL_NOUNS = words("poll polls survey surveys")
DOCUMENT_NOUNS = words(
    "report reports study analysis document documents memo memorandum filing assessment review indictment "
    "complaint lawsuit statement letter strategy audit data figures census records paper transcript "
    "cable budget plan resolution ruling order estimate estimates investigation dossier findings copy draft "
    "research evaluation")
# What a document "says", by its noun: figures are reported, a study finds, a memo states.
REPORTING_DOCUMENTS = words("report reports figures data records statistics")
FINDING_DOCUMENTS = words("study analysis assessment review research findings evaluation audit investigation "
                           "census poll polls survey surveys")
# Nouns of an organization or a government body, as a definite description refers back to one.
ORGANIZATION_NOUNS = words("company firm group operator utility carrier airline bank manufacturer "
                            "processor union council association institute center centre organization "
                            "organisation charity network")
GOVERNMENT_NOUNS = words("ministry department government office agency regulator authority cabinet "
                          "administration embassy army military police")
# Title abbreviations, to find "the governor" in "Gov. Ellen Park".
TITLE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
                       "dr": "doctor", "prof": "professor", "lt": "lieutenant", "col": "colonel",
                       "adm": "admiral", "capt": "captain", "sgt": "sergeant", "pres": "president"}
# Nouns for people and groups an article does not name: "a senior official", "two people familiar ...".
UNNAMED_NOUNS = words(
    "official officials source sources diplomat diplomats analyst analysts expert experts observer observers "
    "person people spokesperson spokesman spokeswoman aide aides member members adviser advisers advisor "
    "advisors insider insiders resident residents witness witnesses investigator investigators lawmaker "
    "lawmakers critic critics economist economists scientist scientists researcher researchers officer "
    "officers commander commanders negotiator negotiators staffer staffers employee employees worker "
    "workers executive executives activist activists lawyer lawyers attorney attorneys doctor doctors "
    "soldier soldiers colleague colleagues relative relatives neighbor neighbors neighbour neighbours "
    "voter voters leader leaders traders investors experts authorities militants rebels protesters "
    "organizers organisers campaigners villagers survivors families officials' media press reports "
    "unions groups companies governments parties airlines firms banks "
    "others many some")

# Words of a title before a name: "Russian Deputy Foreign Minister Andrey Rudenko", "U.S. special envoy
# for Yemen Tim Lenderking". Lower case; a trailing full stop is dropped before looking one up.
TITLE_WORDS = words(
    "president vice prime minister deputy foreign defense defence interior finance economy trade energy "
    "justice health education secretary undersecretary under assistant spokesperson spokesman spokeswoman "
    "press ambassador envoy special senator sen representative rep congressman congresswoman "
    "governor gov mayor general gen lt lieutenant colonel col major maj admiral adm commander cmdr "
    "chief head director chairman chairwoman chair ceo cfo coo founder professor prof dr mr mrs ms "
    "king queen prince princess crown sheikh emir pope cardinal archbishop bishop rabbi imam chancellor "
    "premier speaker leader lawmaker judge justice attorney prosecutor officer sergeant sgt captain capt "
    "state national security adviser advisor senior former acting executive high commissioner coordinator "
    "correspondent editor columnist fellow economist analyst negotiator ayatollah supreme commander-in-chief "
    "councilman councilwoman councillor councilor alderman alderwoman supervisor assemblyman "
    "assemblywoman delegate trustee superintendent sheriff mp mep "
    "secretary-general minister-president sir dame lord baroness presidential "
    "foreign-policy military intelligence top")
# Capitalized words that start a sentence or a phrase but begin no name.
NOT_NAMES = words(
    "the a an he she it they we i this that these those his her their its our there but and or so yet however "
    "meanwhile in on at after before when while if as for since by with from during following hours days "
    "additionally also moreover still even although though because despite last next earlier later "
    "according neither nor both either some many most several other others one two three four five "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "mr mrs ms dr")
PRONOUNS = {"he": "person", "she": "person", "they": "plural", "it": "thing", "we": "plural", "i": "person"}
# Words a name's particles may be: "Mohammed bin Salman", "Ursula von der Leyen".
PARTICLES = words("bin ibn al el de du da di dos van von der den la le ter ten")
DETERMINERS = words("a an the one two three four five six several some many most few other another "
                     "this that these those its his her their our both all")
