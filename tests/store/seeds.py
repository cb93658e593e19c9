"""The seed corpus's deals, investments and documents by key, as the store tests name them."""

from __future__ import annotations

from api.store.paging import PageRequest

# A page larger than any list of the seeds.
EVERYTHING = PageRequest(limit=1000)

KAOLA = "alibaba-acquires-kaola"
LAZADA = "alibaba-acquires-lazada"
SCMP = "alibaba-acquires-scmp"
CBN = "alibaba-china-business-news-stake"
XINJIANG = "alibaba-xinjiang-government-agreement"
SNAPDEAL = "alibaba-snapdeal-talks"

# Undated, about US$700 million.
MUSIC = "alibaba-yunfeng-netease-cloud-music-2019"
# Undated, $500m, part of the Lazada deal.
NEW_SHARES = "alibaba-lazada-new-shares"

KAOLA_REPORT, TECH_WIRE = "000_2b1eff056f60b6be", "001_fc294a4a7f80cbd8"
LAZADA_REPORT, XINJIANG_REPORT = "002_35f2b27074b6541c", "003_7532c4fe6b1c635d"
