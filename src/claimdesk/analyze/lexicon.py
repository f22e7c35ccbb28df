"""Word lists about who speaks, without spaCy: shared by ``analyze.speakers`` (typing a
source) and ``corpus.identity`` (whether a source names someone across the corpus)."""

from __future__ import annotations

PERSONAL = {"he", "she", "him", "her", "his", "hers"}
FIRST_PERSON = {"i", "me", "my", "mine", "we", "us", "our", "ours"}
PLURAL = {"they", "them", "their", "theirs"}
NEUTER = {"it", "its"}
RELATIVE = {"who", "whom", "whose", "which", "that"}
# Every word that stands for someone without naming them: resolved, or no speaker.
PRONOUN_WORDS = PERSONAL | FIRST_PERSON | PLURAL | NEUTER | RELATIVE | {
    "you", "your", "yours", "yourself", "yourselves", "this", "these", "those", "what", "whoever", "whichever",
    "himself", "herself", "itself", "themselves", "myself", "ourselves"}
# Nouns of people who speak for someone without being named: plural, they are still unnamed sources.
UNNAMED_NOUNS = {"official", "source", "officer", "spokesman", "spokeswoman", "spokesperson", "aide", "insider",
                 "diplomat", "person", "people", "representative", "staffer", "adviser", "advisor"}
# Nouns of bodies that speak as one: "the ministry said", "the campaign said".
BODY_NOUNS = {
    "government", "ministry", "department", "agency", "company", "campaign", "committee", "council", "court",
    "police", "party", "administration", "office", "army", "military", "commission", "union", "board", "firm",
    "organisation", "organization", "bank", "team", "network", "parliament", "congress", "senate", "house",
    "coalition", "alliance", "embassy", "institute", "university", "foundation", "authority", "authorities",
    "service", "association", "group", "fund", "center", "centre", "corporation", "federation", "regime",
    "cabinet", "secretariat", "bureau", "legislature", "city",
    "state", "county", "country", "club", "league", "charity", "newspaper", "paper", "magazine", "station",
}
# Body nouns that, capitalised, name one institution: "Congress said", "the Senate voted".
INSTITUTIONS = {"congress", "senate", "house", "parliament", "pentagon", "kremlin"}
# Words before a noun that say which or whose, not who: "the", "his", "some", "many of".
DETERMINERS = PERSONAL | FIRST_PERSON | PLURAL | NEUTER | {
    "the", "a", "an", "some", "many", "most", "several", "other", "others", "all", "both", "few", "two", "three",
    "this", "these", "those", "that", "of", "your", "one", "several", "various", "local", "top", "senior"}

# Media that are a platform, by any word of the medium as found ("tweeted", "a post on X",
# "her Telegram channel"): the platform's name, so readers need not know that a tweet is on X.
_PLATFORM_NAMES = {
    **dict.fromkeys(("x", "twitter", "tweet", "tweets", "tweeted", "retweet", "retweeted"), "Twitter/X"),
    "telegram": "Telegram", "facebook": "Facebook", "instagram": "Instagram", "youtube": "YouTube",
    "tiktok": "TikTok", "vk": "VK", "weibo": "Weibo", "wechat": "WeChat", "linkedin": "LinkedIn",
    "threads": "Threads", "bluesky": "Bluesky", "mastodon": "Mastodon", "substack": "Substack",
}


def medium_platform(medium: str | None) -> str | None:
    """The social platform a claim's medium is on ("Twitter/X" for "tweeted"), None for any other medium."""
    words = (medium or "").lower().replace("’", "'").split()
    for word in words:
        name = _PLATFORM_NAMES.get(word.strip(".,:;'\"'s"))
        if name:
            return name
    return None
