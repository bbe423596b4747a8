"""The demo site's content as data: outlets, their articles, and who carried what.

Every sentence here was written for syndic's demo; none is copied from a real
publisher. The data refuses behaviour: rendering lives in `pages.py` and
`feeds.py`, serving in `server.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

UTC = UTC
CET = timezone(timedelta(hours=1))


@dataclass(frozen=True)
class Outlet:
    """A publisher on the demo server, reached under `/<slug>/`."""

    slug: str
    name: str
    tagline: str
    feed_format: str  # "rss-summary", "atom", "jsonfeed", "rss-full", "autoblog"
    colour: str
    sections: tuple[str, ...] = ("News", "Business", "Science", "Sport", "Tech")


@dataclass(frozen=True)
class Story:
    """One article page. `copy_of` names the slug path ("outlet/slug") it republishes."""

    outlet: str
    slug: str
    headline: str
    summary: str
    authors: tuple[str, ...]
    published: datetime
    modified: datetime
    section: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    teasers: dict[int, str] = field(default_factory=dict)  # insert a teaser after paragraph i
    split_at: int | None = None  # paragraphs from this index go on page 2
    copy_of: str | None = None
    canonical_to_original: bool = False
    hostile: bool = False

    @property
    def key(self) -> str:
        return f"{self.outlet}/{self.slug}"


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "harbour-gazette",
        "The Harbour Gazette",
        "News from the waterfront since 1881",
        "rss-summary",
        "#0b3d5c",
    ),
    Outlet("valley-courier", "Valley Courier", "The valley's daily paper", "atom", "#2e5e1f"),
    Outlet("northwind-wire", "Northwind Wire", "An independent news agency", "jsonfeed", "#5c0b2a"),
    Outlet("metro-ledger", "Metro Ledger", "The city, every morning", "rss-full", "#3a3a3a"),
    Outlet(
        "bestnewsdaily",
        "BestNewsDaily",
        "All the news, automatically",
        "autoblog",
        "#c0392b",
        ("Uncategorized",),
    ),
)


def _t(day: int, hour: int, minute: int = 0, tz: timezone = UTC) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


WIRE_PARAGRAPHS: tuple[str, ...] = (
    "PORT AVERY — Engineers closed the Saltmarsh Bridge to all traffic on Monday after a routine inspection found a crack running through one of the steel bearings that carry its central span, cutting the shortest road link between the port and the eastern suburbs.",
    "The regional transport authority said the closure would last at least three weeks while a temporary support frame is built beneath the span. Buses will be diverted over the Kestrel Road crossing, adding roughly twenty minutes to the trip for about 18,000 daily commuters.",
    "“We would rather inconvenience people for a month than take a chance with a structure that carries school buses,” said Amara Okafor, the authority’s chief engineer, at a briefing on the quayside. “The bridge is not about to fall down. But the bearing is no longer doing its job.”",
    "The crack was found by a drone survey that the authority began using last year, replacing rope-access teams for most inspections. Okafor said the drone’s images showed a fracture about forty centimetres long that had not been visible during the previous survey in the spring.",
    "The 1968 bridge was due for a full refurbishment in 2029. Councillors on the transport committee said on Monday they would ask for that work to be brought forward, and for an independent review of the other four steel bridges the authority maintains.",
    "Businesses on the eastern side of the river said the timing could hardly be worse. “December is a third of our year,” said Lionel Baptiste, who runs a furniture showroom two streets from the bridge. “If customers cannot get here, they will buy online.”",
    "The authority said it would run a free shuttle ferry between the two banks during the closure, every fifteen minutes from 6 a.m. to 10 p.m., and would publish a weekly update on the repair.",
    "Freight operators at the port were told that heavy vehicles must use the ring road. The port’s harbour master said container traffic would not be affected because most of it already leaves by rail.",
)

STORIES: tuple[Story, ...] = (
    # --- Northwind Wire: the original of the syndicated story, and two more.
    Story(
        "northwind-wire",
        "saltmarsh-bridge-closed-after-crack-found",
        "Saltmarsh Bridge closed for weeks after inspectors find cracked bearing",
        "A drone survey found a fracture in a steel bearing under the central span; buses will be diverted and a free ferry will run.",
        ("Priya Raman", "Tomasz Wielgus"),
        _t(23, 9, 15),
        _t(23, 11, 40),
        "News",
        ("transport", "infrastructure", "Port Avery"),
        WIRE_PARAGRAPHS,
    ),
    Story(
        "northwind-wire",
        "glacier-survey-finds-record-summer-melt",
        "Glacier survey finds record summer melt on the Aldren ice field",
        "Researchers measured the largest loss of ice since records began, and the meltwater lake below the glacier has doubled in size.",
        ("Helena Sørlie",),
        _t(20, 7, 0),
        _t(20, 7, 0),
        "Science",
        ("climate", "glaciers", "research"),
        (
            "The Aldren ice field lost more ice this summer than in any year since measurements began in 1962, according to a survey published on Friday by the Northern Glaciology Institute.",
            "The survey team, who spent six weeks on the ice, measured an average thinning of 2.4 metres across the glacier’s lower tongue, nearly double the average of the past decade.",
            "“We expected a bad year after the heatwave in July, but not this bad,” said Dr Jonas Evander, who led the fieldwork. “Some of the stakes we drilled in spring were lying flat on the surface by August.”",
            "The meltwater lake at the foot of the glacier has doubled in area since 2020. The institute said it was working with the valley’s emergency services to monitor the moraine that holds the lake back, though it saw no immediate risk of a sudden flood.",
            "The findings add to a growing body of evidence that small glaciers in the region are losing mass faster than models predicted a decade ago. The institute plans to fit the lake with a permanent water-level sensor next spring.",
            "Evander said the data would be shared with the international glacier monitoring service, which compiles measurements from several hundred reference glaciers each year.",
        ),
    ),
    Story(
        "northwind-wire",
        "central-bank-holds-rates-signals-cut",
        "Central bank holds rates but signals a cut early next year",
        "Policymakers kept the main rate at 3.75 percent and said inflation was falling faster than expected.",
        ("Daniel Achterberg",),
        _t(26, 13, 0),
        _t(26, 15, 30),
        "Business",
        ("economy", "interest rates", "inflation"),
        (
            "The central bank left its main interest rate unchanged at 3.75 percent on Thursday but said it was likely to begin cutting borrowing costs in the first quarter of next year.",
            "Governor Ilse Marchetti told reporters that inflation had fallen to 2.6 percent in October, closer to the bank’s target than its own forecasts had suggested in the summer.",
            "“The job is not finished, but the direction is clear,” Marchetti said. “We want to see two or three more months of data before we move.”",
            "Seven of the nine members of the rate-setting committee voted to hold. Two voted for an immediate cut of a quarter point, citing weak retail sales and a rise in business insolvencies.",
            "Mortgage lenders welcomed the guidance. Several said they had already trimmed the rates on their fixed-term loans in anticipation of a cut.",
            "The currency slipped 0.4 percent against the dollar after the announcement, and government bond yields fell to their lowest level since March.",
        ),
    ),
    # --- Harbour Gazette (RSS 2.0, summaries only).
    Story(
        "harbour-gazette",
        "saltmarsh-bridge-shut-crack",
        "Saltmarsh Bridge shut for at least three weeks after crack is found",
        "The port's busiest road crossing is closed while engineers build a support frame beneath the central span.",
        ("Priya Raman", "Tomasz Wielgus"),
        _t(23, 10, 5),
        _t(23, 12, 0),
        "News",
        ("transport", "Port Avery", "Northwind Wire"),
        WIRE_PARAGRAPHS,
        copy_of="northwind-wire/saltmarsh-bridge-closed-after-crack-found",
        canonical_to_original=True,
    ),
    Story(
        "harbour-gazette",
        "council-approves-harbour-front-housing",
        "Council approves 240 homes on the old fish market site",
        "After a four-hour meeting, councillors voted 9–4 for the harbour-front scheme, a third of it set aside as affordable housing.",
        ("Maeve Lindqvist",),
        _t(24, 21, 30),
        _t(25, 8, 10),
        "News",
        ("city council", "housing", "planning"),
        (
            "Port Avery’s city council voted late on Tuesday to approve a development of 240 homes on the site of the old fish market, ending a dispute that has run for almost five years.",
            "The scheme, put forward by the Quayline housing association, sets aside eighty of the homes as affordable rentals and keeps the market’s brick façade as the front of a new public hall.",
            "Nine councillors voted in favour and four against after a meeting that lasted more than four hours and heard from thirty-one members of the public.",
            "Opponents argued that the buildings, up to seven storeys tall, would block views of the harbour from the old town. “This is the one place where the city meets the sea,” said Rosa Feeney of the Old Town Society. “We are handing it to a car park and a row of balconies.”",
            "Supporters pointed to a waiting list of more than 3,000 households for social housing in the city. Councillor Idris Mbeki, who chairs the planning committee, said the council “cannot keep saying no to homes in the places people want to live.”",
            "Construction is expected to start next autumn, once the site has been cleared of contaminated soil left by a century of fish processing.",
            "The council also approved a new bus stop and a cycle lane along Wharf Street as conditions of the permit.",
        ),
        teasers={2: "[Read: Why the fish market site has stood empty for five years]"},
    ),
    Story(
        "harbour-gazette",
        "storm-brings-flooding-to-lower-quay",
        "Storm Odile brings flooding to Lower Quay as tide peaks",
        "Sandbags held on most streets, but a dozen shops took on water and the ferry service was cancelled for the day.",
        ("Callum Ferris", "Ana Duarte"),
        _t(18, 17, 45, CET),
        _t(18, 20, 0, CET),
        "News",
        ("weather", "storm", "flooding"),
        (
            "Storm Odile pushed sea water over the harbour wall at Lower Quay on Wednesday afternoon, flooding a dozen shops and closing the waterfront road for several hours as a high spring tide met gusts of up to 110 km/h.",
            "Shopkeepers who had stacked sandbags in doorways since the morning said the water rose faster than they had expected. “It came up through the drains first, then over the step,” said Greta Holm, who owns a bookshop on the quay.",
            "The ferry service to the islands was cancelled for the day, and the weather service kept an amber wind warning in place for the coast until midnight.",
            "Firefighters pumped water from two basements and helped an elderly resident leave a ground-floor flat. Nobody was reported injured.",
            "The city’s flood barrier, due to be completed in 2028, would have protected the quay, the harbour authority said. Work on the barrier’s first section started in September.",
            "Forecasters expect calmer weather from Friday, though another band of rain is due over the weekend.",
        ),
    ),
    # --- Valley Courier (Atom 1.0): one article split across two pages.
    Story(
        "valley-courier",
        "rovers-reach-cup-semifinal",
        "Rovers beat the league leaders to reach the cup semi-final",
        "A late header from the teenage defender Kofi Asante sent Valley Rovers through 2–1 in front of a sold-out crowd.",
        ("Sam Oyelaran",),
        _t(22, 22, 10),
        _t(22, 22, 10),
        "Sport",
        ("football", "Valley Rovers", "cup"),
        (
            "Valley Rovers reached the semi-final of the national cup for the first time in nineteen years on Saturday, beating the league leaders 2–1 with a header in the eighty-ninth minute from seventeen-year-old Kofi Asante.",
            "The visitors had taken the lead just before half-time when their captain curled a free kick over the wall and into the top corner, and for long spells of the second half Rovers struggled to get out of their own half.",
            "The equaliser came from the substitute Jordi Malm, who had been on the pitch for four minutes when he pounced on a loose ball at the edge of the box and drove it low past the goalkeeper.",
            "Asante’s winner came from a corner. He had never scored for the first team before, and he ran the length of the pitch to the away end before his teammates caught him.",
            "“I did not think, I just jumped,” Asante said afterwards. “My mum is going to be crying somewhere in the stand.”",
            "Manager Birgit Kallas said the result was the best of her four years at the club. “We were second best for an hour and we never stopped believing. That is this team.”",
            "The draw for the semi-finals will be made on Monday evening. The ties will be played at neutral grounds in the second week of January.",
        ),
    ),
    Story(
        "valley-courier",
        "orchard-growers-try-frost-fans",
        "Orchard growers turn to giant fans to beat spring frosts",
        "After two lost harvests, growers in the upper valley are trying wind machines that stir warmer air down onto the blossom.",
        ("Lotte Brandt", "Emeka Nwosu"),
        _t(19, 6, 30, CET),
        _t(21, 9, 0, CET),
        "Business",
        ("agriculture", "orchards", "climate"),
        (
            "On a ridge above the village of Hallan, a white tower ten metres tall stands among the apple trees, topped by a propeller that looks like it belongs on an old aircraft.",
            "It is one of eleven frost fans installed across the upper valley this autumn by growers who lost most of their crop to late frosts in two of the past three springs.",
            "The machines work by pulling down warmer air that settles a few metres above the ground on still, clear nights, raising the temperature around the blossom by one or two degrees — often enough to save it.",
            "“One cold night in April can take the whole year,” said Marit Ekdahl, whose family has grown apples in Hallan for four generations. “We lost seventy percent in 2024. You cannot carry that twice.”",
            "Each fan costs about 45,000 euros installed. The regional agriculture board is paying a third of the cost under a climate-adaptation scheme that opened in the summer.",
            "Neighbours have raised concerns about noise. The fans are loud, and they run in the small hours. Growers have agreed to switch them on only when the temperature at blossom height falls below one degree.",
            "Researchers at the agricultural college will compare the yields of orchards with and without fans over the next three seasons.",
            "Ekdahl is hopeful but cautious. “It is a tool, not a miracle,” she said. “If it is minus five and windy, nothing helps.”",
            "The board said a second round of grants would open in February if the first results are promising.",
        ),
        split_at=5,
    ),
    Story(
        "valley-courier",
        "library-opens-tool-lending-room",
        "Valley library opens a room where you can borrow a drill",
        "The central library now lends more than 300 tools, from ladders to sewing machines, with a library card.",
        ("Ingrid Sæther",),
        _t(25, 11, 0, CET),
        _t(25, 11, 0, CET),
        "News",
        ("libraries", "community"),
        (
            "The valley’s central library opened a tool-lending room on Wednesday, where anyone with a library card can borrow a drill, a ladder, a pressure washer or a sewing machine for up to a week.",
            "More than 300 items are on the shelves, most of them donated by residents after an appeal in the spring. Volunteers check and repair each tool when it comes back.",
            "“People buy a drill, use it for eleven minutes, and put it in a cupboard for ten years,” said head librarian Oskar Lund. “This way one drill serves a whole street.”",
            "In the first morning, 46 items were borrowed. The most popular were a carpet cleaner and a set of tile cutters.",
            "The library plans to run weekly workshops on basic repairs, starting with bicycles in January.",
        ),
    ),
    Story(
        "harbour-gazette",
        "rowing-club-centenary-regatta",
        "Rowing club marks its centenary with a regatta on the inner harbour",
        "More than 400 rowers from nine clubs raced on a calm morning as the Harbour Rowing Club turned one hundred.",
        ("Niamh Costello",),
        _t(16, 15, 20),
        _t(16, 15, 20),
        "Sport",
        ("rowing", "sport", "community"),
        (
            "The Harbour Rowing Club celebrated its hundredth year on Sunday with a regatta that brought more than 400 rowers from nine clubs to the inner harbour.",
            "The water was flat and the wind light, and crowds lined the sea wall from the customs house to the lighthouse to watch the eights race over a 1,000-metre course.",
            "The club was founded in 1926 by dock workers who trained before their shifts in boats borrowed from a timber merchant. Three of the founders’ great-grandchildren rowed in Sunday’s veterans’ race.",
            "“It is the same water and the same early mornings,” said club president Wilhelmina Achebe. “The boats are lighter and the kit is better, but the reason people come down here at six in the morning has not changed.”",
            "The home club won four of the eleven finals, including the women’s eights, which it took by a canvas after a sprint over the last two hundred metres.",
            "The club is raising money for a new boathouse. The current one, built in 1952, floods at every spring tide.",
        ),
    ),
    Story(
        "valley-courier",
        "first-snow-closes-mountain-pass",
        "First snow of the winter closes the Brenner Gap road",
        "Thirty centimetres fell overnight above 1,200 metres; the pass is expected to reopen on Friday.",
        ("Petra Vallin",),
        _t(27, 7, 45, CET),
        _t(27, 13, 10, CET),
        "News",
        ("weather", "snow", "roads"),
        (
            "The first heavy snow of the winter closed the Brenner Gap road on Thursday morning after about thirty centimetres fell overnight on the upper valley.",
            "Road crews worked through the night but stopped clearing the pass at 4 a.m. when drifting snow made it unsafe for the ploughs. Two lorries that had stopped short of the summit were escorted back down to the valley.",
            "The weather service said the snow line had dropped to 1,200 metres and that a further ten to fifteen centimetres could fall before the front moves east on Friday.",
            "Schools in the three highest villages opened two hours late, and the bus service to the ski area was suspended for the day.",
            "The ski area itself welcomed the snow. Its manager said the lifts would open a week earlier than planned if the cold weather held.",
            "Drivers were reminded that winter tyres are compulsory on the valley’s mountain roads from November 1.",
        ),
    ),
    # --- Metro Ledger (RSS 2.0 with full content:encoded): the wire story, and a hostile page.
    Story(
        "metro-ledger",
        "saltmarsh-bridge-closure-commuters",
        "Bridge closure: what Saltmarsh commuters need to know",
        "The Saltmarsh Bridge is closed for repairs. Diversions, a free ferry and longer bus journeys are planned.",
        ("Priya Raman", "Tomasz Wielgus"),
        _t(23, 10, 30),
        _t(23, 10, 30),
        "News",
        ("transport", "commuting"),
        WIRE_PARAGRAPHS,
        copy_of="northwind-wire/saltmarsh-bridge-closed-after-crack-found",
    ),
    Story(
        "metro-ledger",
        "city-app-leaked-parking-data",
        "City parking app exposed drivers' number plates, audit finds",
        "An outside audit found the city's parking app sent licence plates and locations to an analytics firm without consent.",
        ("Ravi Chandrasekar", "Elin Moberg"),
        _t(24, 8, 0),
        _t(24, 16, 45),
        "Tech",
        ("privacy", "apps", "city hall"),
        (
            "The city’s official parking app sent drivers’ number plates and the locations where they parked to an outside analytics company for more than a year, according to an audit released on Tuesday.",
            "The audit, carried out by a security firm hired after a complaint from a user, found that the app attached the plate number to every payment event it reported to the analytics service.",
            "City hall said the data had been used only to measure how quickly the app loaded, and that the analytics company had confirmed it deleted the records. About 61,000 drivers used the app in the period covered by the audit.",
            "“Nobody set out to track people,” said deputy mayor Fenna de Wit. “But it happened, and that is on us.” The city has removed the analytics library from the app and reported the matter to the data protection authority.",
            "Privacy advocates said the case showed how easily third-party code ends up collecting more than anyone intended. “Every library you add is a stranger in the room,” said Joost Verhaegen of the Digital Rights Collective.",
            "An update to the app was released on Tuesday evening. Drivers do not need to do anything, the city said, but those who want to know what was shared can ask for a copy of their records.",
        ),
        hostile=True,
    ),
    Story(
        "metro-ledger",
        "night-trams-return",
        "Night trams return to three lines from December",
        "Trams on lines 2, 5 and 9 will run all night on Fridays and Saturdays for the first time since 2020.",
        ("Jonas Heikkilä",),
        _t(21, 12, 0),
        _t(21, 12, 0),
        "News",
        ("transport", "nightlife"),
        (
            "Night trams will run on three lines on Friday and Saturday nights from December 5, the transit company said on Friday, restoring a service that was cut during the pandemic.",
            "Trams on lines 2, 5 and 9 will run every thirty minutes between 1 a.m. and 5 a.m., linking the centre with the university campus, the western housing estates and the main railway station.",
            "Bar and restaurant owners had campaigned for the service’s return, saying staff finishing late shifts were paying for taxis they could not afford.",
            "The transit company said the trial would run for six months and cost about 1.2 million in the first year, shared between the company and the city.",
            "Two extra security staff will ride each night tram, and the stops on the routes will get brighter lighting before the launch.",
        ),
    ),
    # --- BestNewsDaily: the autoblog copy with residue and a byline that lost a name.
    Story(
        "bestnewsdaily",
        "saltmarsh-bridge-closed-after-crack-found",
        "Saltmarsh Bridge closed for weeks after inspectors find cracked bearing",
        "PORT AVERY — Engineers closed the Saltmarsh Bridge to all traffic on Monday after a routine inspection found a crack…",
        ("Tomasz Wielgus",),
        _t(23, 12, 2),
        _t(23, 12, 2),
        "Uncategorized",
        ("news",),
        WIRE_PARAGRAPHS,
        teasers={
            2: "[The bridges the region forgot to fix]",
            5: "[Opinion: Port Avery cannot run on one crossing]",
        },
        copy_of="northwind-wire/saltmarsh-bridge-closed-after-crack-found",
    ),
)

# Lines the autoblog's chain of tools left behind, in the order they were appended.
AUTOBLOG_FOOTER: tuple[str, ...] = (
    "Read more",
    "Today’s coverage from Northwind correspondents across the region",
    "Like Northwind Wire on Facebook and stay updated on local news",
    "Let’s block ads! (Why?)",
    "Read More",
    "Powered by WPeMatico",
)


def outlet(slug: str) -> Outlet:
    return next(o for o in OUTLETS if o.slug == slug)


def stories_of(slug: str) -> tuple[Story, ...]:
    return tuple(s for s in STORIES if s.outlet == slug)


def story(key: str) -> Story:
    return next(s for s in STORIES if s.key == key)
