"""Reading a scan's User-Agent: link-preview bots, device class and in-app browser."""

import re

BOT_PATTERN = re.compile(
    r"facebookexternalhit|facebot|whatsapp|telegrambot|slackbot|twitterbot|googlebot|bingbot"
    r"|discordbot|linkedinbot|skypeuripreview|zalo[\w-]*(bot|preview|crawl)|zalopreview"
    r"|bot\b|bot[/_;-]|crawl|spider|preview|headlesschrome|python-requests|curl/|wget/",
)
# Phone models whose names end in "bot" and would otherwise look like bots.
NOT_BOTS = re.compile(r"cubot")


def is_bot(user_agent: str) -> bool:
    """True for link-preview bots and crawlers, whose fetches are not scans."""
    ua = NOT_BOTS.sub("", (user_agent or "").lower())
    return bool(BOT_PATTERN.search(ua))


def device_class(user_agent: str) -> str:
    ua = (user_agent or "").lower()
    if not ua:
        return "unknown"
    if "ipad" in ua or "tablet" in ua or ("android" in ua and "mobile" not in ua):
        return "tablet"
    if "mobi" in ua or "iphone" in ua or "android" in ua:
        return "mobile"
    return "desktop"


def in_app_browser(user_agent: str) -> str:
    ua = (user_agent or "").lower()
    if "zalo" in ua:
        return "zalo"
    if "messenger" in ua or "orca-android" in ua or "fb_iab/messenger" in ua:
        return "messenger"
    if "fban/" in ua or "fbav/" in ua or "fb_iab" in ua or "fb4a" in ua:
        return "facebook"
    if "instagram" in ua or "line/" in ua or "tiktok" in ua or "musical_ly" in ua:
        return "other"
    return "none"
