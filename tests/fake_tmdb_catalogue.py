"""The hard families of the fake TMDB (tests/fake_tmdb.py merges them into its catalogue).

Real films and series, with TMDB's ids, titles, original and alternative
titles, dates and countries as TMDB has them (from memory: ids marked ``?``
are unverified). The families matching must get right, or must leave to a
human (tests/data/matching-cases.tsv):

- remakes sharing a title: The Thing, Psycho, Ocean's Eleven / Ocean's 11,
  RoboCop, Total Recall (with Heat and Dune of the base catalogue);
- same-title strangers: Crash (1996, 2004), The Host (2006, 2013);
- numbered sequels: The Godfather I to III, Spider-Man 1 to 3, Rocky / Rocky II,
  Kill Bill Vol. 1 and 2, Dune: Part Two, Blade Runner / 2049, Mad Max 1, 2 and
  Fury Road, Mission: Impossible / II / Fallout, Ocean's Twelve, Star Wars
  with its "Episode" alternative titles, Borat and its subsequent moviefilm;
- punctuation: WALL·E, TÁR, [REC] / [REC]², Face/Off, (500) Days of Summer,
  Se7en, Twelve Monkeys, Crouching Tiger, Hidden Dragon, Law & Order: SVU;
- foreign originals: The Lives of Others, Downfall, Léon: The Professional;
- anime under English and romanised names: Spirited Away, Your Name.,
  Grave of the Fireflies, Attack on Titan, Demon Slayer, the two Fullmetal
  Alchemists;
- short names for long titles: Dr. Strangelove, Borat, Birdman, Rogue One,
  Harry Potter and the Philosopher's (Sorcerer's) Stone;
- US/UK versions: Shameless, Queer as Folk, House of Cards (with The Office),
  and two of a name told apart by year: Doctor Who, Battlestar Galactica.

    movie  id      title (year)
    238/240/242    The Godfather (1972), Part II (1974), Part III (1990)
    11/1891        Star Wars (1977), The Empire Strikes Back (1980)
    140607/330459  Star Wars: The Force Awakens (2015), Rogue One: A Star Wars Story (2016)
    935            Dr. Strangelove or: How I Learned to Stop Worrying… (1964)
    496/740985     Borat: Cultural Learnings… (2006), Borat Subsequent Moviefilm (2020)
    194662         Birdman or (The Unexpected Virtue of Ignorance) (2014)
    10681 817758   WALL·E (2008), TÁR (2022)
    8329 10664?    [REC] (2007), [REC]² (2009)
    9659/8810/76341/9355  Mad Max (1979), Mad Max 2 (1981), Fury Road (2015),
                   Beyond Thunderdome (1985)
    557/558/559    Spider-Man (2002), 2 (2004), 3 (2007)
    1366/1367      Rocky (1976), Rocky II (1979)
    24/393         Kill Bill: Vol. 1 (2003), Vol. 2 (2004)
    693134         Dune: Part Two (2024)
    78/335984      Blade Runner (1982), Blade Runner 2049 (2017)
    1091/60935     The Thing (1982, 2011)
    539/11252      Psycho (1960, 1998)
    884/1640       Crash (1996, 2004)
    1255/72710     The Host (2006 "괴물", 2013)
    161/163/299?   Ocean's Eleven (2001), Ocean's Twelve (2004), Ocean's 11 (1960)
    5548/97020     RoboCop (1987, 2014)
    861/64635      Total Recall (1990, 2012)
    129 372058 12477  Spirited Away, Your Name., Grave of the Fireflies
    101 582 613    Léon: The Professional, The Lives of Others, Downfall
    754 954 955 353081  Face/Off, Mission: Impossible, II, Fallout
    807 19913 63 146 671  Se7en, (500) Days of Summer, Twelve Monkeys,
                   Crouching Tiger, Hidden Dragon, Harry Potter and the Philosopher's Stone

    tv     57243/121      Doctor Who (2005 GB, 1963 GB)
           1972/501?      Battlestar Galactica (2004 US, 1978 US)
           2734/549       Law & Order: Special Victims Unit (1999), Law & Order (1990)
           1429 85937     Attack on Titan (2013), Demon Slayer: Kimetsu no Yaiba (2019)
           31911/1427?    Fullmetal Alchemist: Brotherhood (2009), Fullmetal Alchemist (2003)
           34307/1906?    Shameless (US 2011, UK 2004)
           1425/38871?    House of Cards (US 2013, UK 1990)
           1410?/1421?    Queer as Folk (US 2000, UK 1999)
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["EXTRA_MOVIES", "EXTRA_TV"]


def _film(id: int, title: str, date: str, imdb: str, popularity: float, *,
          original: str | None = None, alt: tuple[tuple[str, str], ...] = (),
          language: str = "en", genres: tuple[int, ...] = (18,)) -> dict[str, Any]:
    return {"id": id, "title": title, "original_title": original or title, "release_date": date,
            "imdb_id": imdb, "popularity": popularity, "genre_ids": list(genres),
            "poster_path": f"/m{id}poster.jpg", "backdrop_path": f"/m{id}backdrop.jpg",
            "original_language": language, "runtime": 110, "alternative_titles": list(alt),
            "localized": {}, "rating": "R", "overview": "", "tagline": ""}


EXTRA_MOVIES: Final[tuple[dict[str, Any], ...]] = (
    # numbered sequels
    _film(238, "The Godfather", "1972-03-14", "tt0068646", 120.5, genres=(18, 80),
          alt=(("IT", "Il padrino"), ("US", "Mario Puzo's The Godfather"))),
    _film(240, "The Godfather Part II", "1974-12-20", "tt0071562", 70.2, genres=(18, 80),
          alt=(("US", "The Godfather: Part II"), ("US", "The Godfather 2"),
               ("IT", "Il padrino - Parte II"))),
    _film(242, "The Godfather Part III", "1990-12-25", "tt0099674", 45.0, genres=(18, 80),
          alt=(("US", "The Godfather: Part III"), ("US", "The Godfather 3"))),
    _film(11, "Star Wars", "1977-05-25", "tt0076759", 90.1, genres=(12, 28, 878),
          alt=(("US", "Star Wars: Episode IV - A New Hope"), ("US", "A New Hope"))),
    _film(1891, "The Empire Strikes Back", "1980-05-20", "tt0080684", 60.3, genres=(12, 878),
          alt=(("US", "Star Wars: Episode V - The Empire Strikes Back"),
               ("US", "Star Wars: Episode V"))),
    _film(140607, "Star Wars: The Force Awakens", "2015-12-15", "tt2488496", 55.0,
          genres=(12, 28, 878), alt=(("US", "Star Wars: Episode VII - The Force Awakens"),)),
    _film(330459, "Rogue One: A Star Wars Story", "2016-12-14", "tt3748528", 50.4,
          genres=(28, 12, 878), alt=(("US", "Rogue One"),)),
    _film(9659, "Mad Max", "1979-04-12", "tt0079501", 30.2, genres=(12, 28, 53)),
    _film(8810, "Mad Max 2", "1981-12-24", "tt0082694", 28.8, genres=(12, 28, 53),
          alt=(("US", "The Road Warrior"), ("US", "Mad Max 2: The Road Warrior"))),
    _film(76341, "Mad Max: Fury Road", "2015-05-13", "tt1392190", 80.7, genres=(28, 12, 878)),
    _film(9355, "Mad Max Beyond Thunderdome", "1985-06-29", "tt0089530", 25.1,
          genres=(28, 12, 878), alt=(("US", "Mad Max 3"),)),
    _film(557, "Spider-Man", "2002-05-01", "tt0145487", 95.0, genres=(28, 878)),
    _film(558, "Spider-Man 2", "2004-06-25", "tt0316654", 60.0, genres=(28, 878)),
    _film(559, "Spider-Man 3", "2007-05-01", "tt0413300", 58.0, genres=(28, 878)),
    _film(1366, "Rocky", "1976-11-21", "tt0075148", 40.0),
    _film(1367, "Rocky II", "1979-06-15", "tt0079817", 25.0),
    _film(24, "Kill Bill: Vol. 1", "2003-10-10", "tt0266697", 55.5, genres=(28, 80)),
    _film(393, "Kill Bill: Vol. 2", "2004-04-16", "tt0378194", 45.5, genres=(28, 80)),
    _film(693134, "Dune: Part Two", "2024-02-27", "tt15239678", 200.0, genres=(878, 12)),
    _film(78, "Blade Runner", "1982-06-25", "tt0083658", 60.0, genres=(878, 18)),
    _film(335984, "Blade Runner 2049", "2017-10-04", "tt1856101", 70.0, genres=(878, 18)),
    _film(954, "Mission: Impossible", "1996-05-22", "tt0117060", 45.0, genres=(12, 28, 53)),
    _film(955, "Mission: Impossible II", "2000-05-24", "tt0120755", 35.0, genres=(12, 28, 53),
          alt=(("US", "M:I-2"), ("US", "Mission: Impossible 2"))),
    _film(353081, "Mission: Impossible - Fallout", "2018-07-13", "tt4912910", 60.0,
          genres=(12, 28, 53), alt=(("US", "Mission: Impossible 6"),)),
    _film(161, "Ocean's Eleven", "2001-12-07", "tt0240772", 50.0, genres=(53, 80)),
    _film(163, "Ocean's Twelve", "2004-12-09", "tt0349903", 35.0, genres=(53, 80)),
    _film(299, "Ocean's 11", "1960-08-10", "tt0054135", 12.0, genres=(35, 80),
          alt=(("US", "Ocean's Eleven"),)),
    _film(496, "Borat: Cultural Learnings of America for Make Benefit Glorious Nation of "
               "Kazakhstan", "2006-11-01", "tt0443453", 25.0, genres=(35,),
          alt=(("US", "Borat"),)),
    _film(740985, "Borat Subsequent Moviefilm", "2020-10-23", "tt13143964", 22.0, genres=(35,),
          alt=(("US", "Borat 2"),)),
    # remakes and same-title strangers
    _film(1091, "The Thing", "1982-06-25", "tt0084787", 45.0, genres=(27, 878)),
    _film(60935, "The Thing", "2011-10-12", "tt0905372", 25.0, genres=(27, 878)),
    _film(539, "Psycho", "1960-06-22", "tt0054215", 40.0, genres=(27, 53)),
    _film(11252, "Psycho", "1998-12-04", "tt0155975", 12.0, genres=(27, 53)),
    _film(884, "Crash", "1996-07-04", "tt0115964", 15.0, genres=(18, 53)),
    _film(1640, "Crash", "2004-09-10", "tt0375679", 20.0, genres=(18, 80)),
    _film(1255, "The Host", "2006-07-27", "tt0468492", 22.0, original="괴물", language="ko",
          genres=(27, 878), alt=(("KR", "Gwoemul"),)),
    _film(72710, "The Host", "2013-03-22", "tt1517260", 24.0, genres=(878, 10749)),
    _film(5548, "RoboCop", "1987-07-17", "tt0093870", 30.0, genres=(28, 878)),
    _film(97020, "RoboCop", "2014-01-30", "tt1234721", 28.0, genres=(28, 878)),
    _film(861, "Total Recall", "1990-06-01", "tt0100802", 30.0, genres=(28, 878)),
    _film(64635, "Total Recall", "2012-08-02", "tt1386703", 26.0, genres=(28, 878)),
    # punctuation
    _film(10681, "WALL·E", "2008-06-22", "tt0910970", 70.0, genres=(16, 10751, 878),
          alt=(("US", "WALL-E"), ("FR", "WALL-E"))),
    _film(817758, "TÁR", "2022-10-07", "tt14444726", 20.0, alt=(("US", "Tar"),)),
    _film(8329, "[REC]", "2007-11-23", "tt1038988", 18.0, language="es", genres=(27,),
          alt=(("ES", "REC"),)),
    _film(10664, "[REC]²", "2009-10-02", "tt1245112", 12.0, language="es", genres=(27,),
          alt=(("ES", "REC 2"), ("US", "[REC] 2"))),
    _film(754, "Face/Off", "1997-06-27", "tt0119094", 30.0, genres=(28, 80, 53),
          alt=(("US", "Face Off"),)),
    _film(19913, "(500) Days of Summer", "2009-07-17", "tt1022603", 25.0, genres=(35, 10749),
          alt=(("US", "500 Days of Summer"),)),
    _film(807, "Se7en", "1995-09-22", "tt0114369", 60.0, genres=(80, 9648, 53),
          alt=(("US", "Seven"),)),
    _film(63, "Twelve Monkeys", "1995-12-29", "tt0114746", 30.0, genres=(878, 53),
          alt=(("US", "12 Monkeys"),)),
    _film(146, "Crouching Tiger, Hidden Dragon", "2000-07-06", "tt0190332", 20.0,
          original="臥虎藏龍", language="zh", genres=(28, 12),
          alt=(("TW", "Wo hu cang long"),)),
    # foreign originals
    _film(101, "Léon: The Professional", "1994-09-14", "tt0110413", 50.0, original="Léon",
          language="fr", genres=(80, 18, 28),
          alt=(("US", "The Professional"), ("FR", "Léon version intégrale"))),
    _film(582, "The Lives of Others", "2006-03-15", "tt0405094", 20.0,
          original="Das Leben der Anderen", language="de", genres=(18, 53)),
    _film(613, "Downfall", "2004-09-16", "tt0363163", 22.0, original="Der Untergang",
          language="de", genres=(18, 36, 10752)),
    # anime films
    _film(129, "Spirited Away", "2001-07-20", "tt0245429", 90.0, original="千と千尋の神隠し",
          language="ja", genres=(16, 10751, 14),
          alt=(("JP", "Sen to Chihiro no Kamikakushi"), ("US", "Spirited Away"))),
    _film(372058, "Your Name.", "2016-08-26", "tt5311514", 80.0, original="君の名は。",
          language="ja", genres=(16, 10749, 18),
          alt=(("JP", "Kimi no Na wa."), ("US", "Your Name"))),
    _film(12477, "Grave of the Fireflies", "1988-04-16", "tt0095327", 40.0,
          original="火垂るの墓", language="ja", genres=(16, 18, 10752),
          alt=(("JP", "Hotaru no Haka"),)),
    # short names for long official titles
    _film(935, "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
          "1964-01-29", "tt0057012", 22.0, genres=(35, 10752),
          alt=(("US", "Dr. Strangelove"),)),
    _film(194662, "Birdman or (The Unexpected Virtue of Ignorance)", "2014-10-17",
          "tt2562232", 30.0, genres=(35, 18)),
    _film(671, "Harry Potter and the Philosopher's Stone", "2001-11-16", "tt0241527", 150.0,
          genres=(12, 14), alt=(("US", "Harry Potter and the Sorcerer's Stone"),)),
)


def _show(id: int, name: str, date: str, country: str, counts: tuple[int, ...], *,
          popularity: float, original: str | None = None, language: str = "en",
          tvdb: int | None = None, imdb: str | None = None,
          alt: tuple[tuple[str, str], ...] = (), specials: int = 0) -> dict[str, Any]:
    """A series with seasons 1.. of ``counts`` episodes (and ``specials`` in season 0)."""
    year = int(date[:4])
    seasons: dict[int, tuple[str, str, list[str]]] = {
        n: (f"Season {n}", f"{year + n - 1}-01-01",
            [f"Episode {e}" for e in range(1, count + 1)])
        for n, count in enumerate(counts, start=1)}
    if specials:
        seasons[0] = ("Specials", date, [f"Special {e}" for e in range(1, specials + 1)])
    return {"id": id, "name": name, "original_name": original or name, "first_air_date": date,
            "tvdb_id": tvdb, "imdb_id": imdb, "popularity": popularity,
            "origin_country": [country], "original_language": language,
            "poster_path": f"/tv{id}poster.jpg", "backdrop_path": f"/tv{id}backdrop.jpg",
            "seasons": seasons, "alternative_titles": list(alt)}


EXTRA_TV: Final[tuple[dict[str, Any], ...]] = (
    _show(57243, "Doctor Who", "2005-03-26", "GB",
          (13, 14, 14, 18, 14, 14, 15, 14, 13, 13, 11, 12, 10), popularity=120.0,
          tvdb=78804, imdb="tt0436992", specials=40),
    _show(121, "Doctor Who", "1963-11-23", "GB",
          (42, 39, 45, 43, 40, 44, 25, 25, 26, 26, 26, 20, 26, 26, 26, 26, 20, 28, 26, 22,
           24, 13, 14, 14, 14, 14), popularity=40.0, tvdb=76107, imdb="tt0056751"),
    _show(1972, "Battlestar Galactica", "2004-10-18", "US", (13, 20, 20, 20),
          popularity=45.0, tvdb=73545, imdb="tt0407362", specials=4),
    _show(501, "Battlestar Galactica", "1978-09-17", "US", (21,), popularity=15.0,
          tvdb=71173, imdb="tt0077215"),
    _show(2734, "Law & Order: Special Victims Unit", "1999-09-20", "US", (22,) * 25,
          popularity=300.0, tvdb=75692, imdb="tt0203259",
          alt=(("US", "Law & Order: SVU"), ("US", "Law and Order: Special Victims Unit"))),
    _show(549, "Law & Order", "1990-09-13", "US", (22,) * 23, popularity=150.0,
          tvdb=72368, imdb="tt0098844", alt=(("US", "Law and Order"),)),
    _show(1429, "Attack on Titan", "2013-04-07", "JP", (25, 12, 22, 30), popularity=110.0,
          original="進撃の巨人", language="ja", tvdb=267440, imdb="tt2560140",
          alt=(("JP", "Shingeki no Kyojin"),)),
    _show(85937, "Demon Slayer: Kimetsu no Yaiba", "2019-04-06", "JP", (26, 18, 11, 8),
          popularity=100.0, original="鬼滅の刃", language="ja", tvdb=348545,
          imdb="tt9335498", alt=(("JP", "Kimetsu no Yaiba"),)),
    _show(31911, "Fullmetal Alchemist: Brotherhood", "2009-04-05", "JP", (64,),
          popularity=90.0, original="鋼の錬金術師 FULLMETAL ALCHEMIST", language="ja",
          tvdb=85249, imdb="tt1355642",
          alt=(("JP", "Hagane no Renkinjutsushi: Fullmetal Alchemist"),)),
    _show(1427, "Fullmetal Alchemist", "2003-10-04", "JP", (51,), popularity=40.0,
          original="鋼の錬金術師", language="ja", alt=(("JP", "Hagane no Renkinjutsushi"),)),
    _show(34307, "Shameless", "2011-01-09", "US", (12,) * 11, popularity=150.0,
          tvdb=161511, imdb="tt1586680", alt=(("US", "Shameless (US)"),)),
    _show(1906, "Shameless", "2004-01-13", "GB", (7, 10, 11, 14, 16, 22, 16, 22, 16, 16, 14),
          popularity=30.0, imdb="tt0377260", alt=(("GB", "Shameless (UK)"),)),
    _show(1425, "House of Cards", "2013-02-01", "US", (13, 13, 13, 13, 13, 8),
          popularity=80.0, tvdb=262980, imdb="tt1856010"),
    _show(38871, "House of Cards", "1990-11-18", "GB", (4,), popularity=10.0,
          imdb="tt0098825"),
    _show(1410, "Queer as Folk", "2000-12-03", "US", (22, 20, 14, 14, 13), popularity=35.0,
          imdb="tt0262985"),
    _show(1421, "Queer as Folk", "1999-02-23", "GB", (8, 2), popularity=12.0,
          imdb="tt0163507"),
)
