//! Unit tests of the geo stage: the gazetteer's keys and tables, and each disambiguation rule
//! on small articles whose names are given as the NER model would find them.

use super::gazetteer::{
    abbreviation_key, distance_km, fold, spelled_out, Feature, Gazetteer, NameKind,
};
use super::*;
use crate::ner::EntityType::{self, Loc, Misc, Org, Person};
use crate::stages::testing::doc_with_entities;

/// The stage run on `text` whose names are `names`; returns the document.
fn resolved(text: &str, names: &[(&str, EntityType)]) -> Doc {
    let mut doc = doc_with_entities(text, names);
    GeoStage::new().run(&mut doc).expect("geo stage");
    doc
}

/// The place of the entity called `name`.
fn geo_of<'d>(doc: &'d Doc, name: &str) -> Option<&'d Geo> {
    let i = doc.entities.iter().position(|e| e.name == name)?;
    doc.geo[i].as_ref()
}

/// (feature, country, admin1) of the entity called `name`'s place.
fn where_is(doc: &Doc, name: &str) -> Option<(&'static str, String, Option<String>)> {
    geo_of(doc, name).map(|g| {
        (
            g.feature,
            g.country.clone().unwrap_or_default(),
            g.admin1.clone(),
        )
    })
}

#[test]
fn every_stored_key_is_its_own_fold() {
    let gazetteer = Gazetteer::built_in();
    let mut checked = 0;
    for key in gazetteer.keys() {
        if key.contains('.') {
            assert_eq!(abbreviation_key(key), key);
        } else {
            assert_eq!(fold(key), key, "the Rust and Python key functions disagree");
        }
        checked += 1;
    }
    assert!(checked > 300_000, "{checked} keys");
}

#[test]
fn the_prefix_filter_never_says_no_to_a_key_or_its_first_words() {
    let gazetteer = Gazetteer::built_in();
    for key in gazetteer.keys() {
        assert!(gazetteer.reach(key).key, "{key}");
        for (at, _) in key.match_indices(' ') {
            assert!(gazetteer.reach(&key[..at]).prefix, "{key}: {}", &key[..at]);
        }
    }
    // The abbreviated forms that look-ups spell out pass too ("plymouth co", "mt royal").
    let mut shortened = 0;
    for key in gazetteer.keys() {
        let short = match (key.strip_suffix(" county"), key.strip_prefix("mount ")) {
            (Some(rest), _) => format!("{rest} co"),
            (None, Some(rest)) => format!("mt {rest}"),
            (None, None) => continue,
        };
        assert!(spelled_out(&short).iter().any(|long| long == key));
        assert!(gazetteer.reach(&short).key, "{short}");
        shortened += 1;
    }
    assert!(shortened > 1000, "{shortened} shortened keys");
}

#[test]
fn the_prefix_filter_says_no_to_most_words_that_are_no_keys() {
    let gazetteer = Gazetteer::built_in();
    let words: Vec<String> = (0..1000).map(|i| format!("zq{i}x")).collect();
    let passed = words.iter().filter(|w| gazetteer.reach(w).key).count();
    assert!(passed < 50, "{passed} of 1000 non-keys pass");
}

#[test]
fn keys_ignore_case_accents_and_punctuation() {
    assert_eq!(fold("Côte d'Ivoire"), "cote divoire");
    assert_eq!(fold("  WILKES-BARRE, Pa. "), "wilkes barre pa");
    assert_eq!(fold("U.S."), "us");
    assert_eq!(abbreviation_key("W. Va."), "w.va.");
    assert_ne!(abbreviation_key("Md."), abbreviation_key("M.D."));
}

#[test]
fn places_decode_with_ids_codes_and_coordinates() {
    let gazetteer = Gazetteer::built_in();
    assert!(gazetteer.len() > 200_000);
    let kyiv = gazetteer
        .lookup("kiev")
        .map(|(id, _)| gazetteer.place(id))
        .find(|p| p.geonames == Some(703448))
        .expect("Kyiv under its former name");
    assert_eq!(
        (kyiv.name, kyiv.country, kyiv.feature),
        ("Kyiv", "UA", Feature::City)
    );
    assert!(kyiv.capital && kyiv.population.is_some_and(|p| p > 2_000_000));
    assert!(distance_km((kyiv.lat, kyiv.lon), (50.45, 30.52)) < 5.0);
    let kentucky = gazetteer
        .lookup("ky.")
        .find(|&(_, kind)| kind == NameKind::Abbreviation)
        .map(|(id, _)| gazetteer.place(id))
        .expect("Ky.");
    assert_eq!(
        (kentucky.code, kentucky.feature),
        ("US-KY", Feature::Admin1)
    );
    assert!(gazetteer.lookup("no such place anywhere").next().is_none());
    for id in (0..gazetteer.len() as u32).step_by(997) {
        assert_eq!(gazetteer.feature(id), gazetteer.place(id).feature);
    }
}

#[test]
fn countries_and_capitals_come_before_namesakes() {
    let doc = resolved(
        "Talks in Georgia and Paris ended. Georgia said Paris had agreed.",
        &[("Georgia", Loc), ("Paris", Loc)],
    );
    assert_eq!(
        where_is(&doc, "Georgia"),
        Some(("country", "GE".into(), None))
    );
    let paris = geo_of(&doc, "Paris").unwrap();
    assert_eq!(
        (paris.id.as_str(), paris.country.as_deref()),
        ("geonames:2988507", Some("FR"))
    );
    assert!(paris.confidence > 0.5);
}

#[test]
fn the_article_s_other_places_decide_between_namesakes() {
    let state = resolved(
        "Storms hit Atlanta on Monday. Georgia's governor declared an emergency.",
        &[("Atlanta", Loc), ("Georgia", Loc)],
    );
    assert_eq!(
        where_is(&state, "Georgia").unwrap().2.as_deref(),
        Some("US-GA")
    );
    let louisiana = resolved(
        "Flooding closed roads in Alexandria. Louisiana officials said more rain was coming \
         to Baton Rouge and Shreveport.",
        &[
            ("Alexandria", Loc),
            ("Louisiana", Loc),
            ("Baton Rouge", Loc),
            ("Shreveport", Loc),
        ],
    );
    assert_eq!(
        where_is(&louisiana, "Alexandria").unwrap().2.as_deref(),
        Some("US-LA")
    );
    let egypt = resolved(
        "Protests spread from Cairo to Alexandria.",
        &[("Cairo", Loc), ("Alexandria", Loc)],
    );
    assert_eq!(where_is(&egypt, "Alexandria").unwrap().1, "EG");
    let alabama = resolved(
        "The march went from Birmingham to Montgomery, Alabama's capital.",
        &[("Birmingham", Loc), ("Montgomery", Loc), ("Alabama", Loc)],
    );
    assert_eq!(
        where_is(&alabama, "Birmingham").unwrap().2.as_deref(),
        Some("US-AL")
    );
    let england = resolved(
        "Fans travelled from Birmingham to London.",
        &[("Birmingham", Loc), ("London", Loc)],
    );
    assert_eq!(
        where_is(&england, "Birmingham").unwrap().2.as_deref(),
        Some("GB-ENG")
    );
}

#[test]
fn town_state_qualifiers_narrow_the_candidates() {
    let doc = resolved(
        "He grew up in Paris, Texas. Later Paris felt small. In Springfield, Illinois, he \
         studied law.",
        &[
            ("Paris", Loc),
            ("Texas", Loc),
            ("Springfield", Loc),
            ("Illinois", Loc),
        ],
    );
    assert_eq!(where_is(&doc, "Paris").unwrap().2.as_deref(), Some("US-TX"));
    assert_eq!(
        where_is(&doc, "Springfield").unwrap().2.as_deref(),
        Some("US-IL")
    );
    assert_eq!(
        where_is(&doc, "Texas"),
        Some(("admin1", "US".into(), Some("US-TX".into())))
    );
    let whole = resolved(
        "Crowds gathered in Springfield, Illinois on Monday.",
        &[("Springfield, Illinois", Loc)],
    );
    assert_eq!(
        where_is(&whole, "Springfield, Illinois")
            .unwrap()
            .2
            .as_deref(),
        Some("US-IL")
    );
}

#[test]
fn an_abbreviated_state_after_a_town_is_a_place_whatever_its_type() {
    let doc = resolved(
        "EDMONTON, Ky. - A man was hurt on Monday.",
        &[("EDMONTON", Loc), ("Ky.", Person)],
    );
    assert_eq!(
        where_is(&doc, "EDMONTON").unwrap().2.as_deref(),
        Some("US-KY")
    );
    assert_eq!(where_is(&doc, "Ky.").unwrap().0, "admin1");
    let doctor = resolved("Jane Smith, M.D., spoke.", &[("M.D.", Loc)]);
    assert_eq!(
        geo_of(&doctor, "M.D."),
        None,
        "Md. is Maryland, M.D. is not"
    );
}

#[test]
fn demonyms_count_for_their_country() {
    let doc = resolved(
        "Ukrainian troops held the line. Kyiv said Ukrainian drones struck Russian bases.",
        &[("Ukrainian", Misc), ("Kyiv", Loc), ("Russian", Misc)],
    );
    assert_eq!(
        where_is(&doc, "Ukrainian"),
        Some(("country", "UA".into(), None))
    );
    assert_eq!(where_is(&doc, "Russian").unwrap().1, "RU");
    assert_eq!(where_is(&doc, "Kyiv").unwrap().0, "city");
    let counts: Vec<(&str, usize)> = doc
        .countries
        .iter()
        .map(|c| (c.code.as_str(), c.mentions))
        .collect();
    assert_eq!(counts, vec![("UA", 3), ("RU", 1)]);
}

#[test]
fn unknown_places_and_words_named_after_towns_stay_null() {
    let doc = resolved(
        "The heroes reached Narnia before Christmas, and spoke English with Barclays.",
        &[
            ("Narnia", Loc),
            ("Christmas", Misc),
            ("English", Misc),
            ("Barclays", Org),
        ],
    );
    for name in ["Narnia", "Christmas", "English", "Barclays"] {
        assert_eq!(geo_of(&doc, name), None, "{name}");
    }
    assert!(doc.countries.is_empty());
}

#[test]
fn metonymy_is_still_the_place() {
    let doc = resolved(
        "Washington said on Tuesday that talks with Moscow would resume.",
        &[("Washington", Loc), ("Moscow", Loc)],
    );
    let washington = geo_of(&doc, "Washington").unwrap();
    assert_eq!(
        (washington.feature, washington.admin1.as_deref()),
        ("city", Some("US-DC"))
    );
}

#[test]
fn the_outlet_country_comes_from_the_url_s_country_domain() {
    assert_eq!(
        outlet_country(Some("https://www.cbc.ca/news/x"), None).as_deref(),
        Some("CA")
    );
    assert_eq!(
        outlet_country(None, Some("www.bbc.co.uk")).as_deref(),
        Some("GB")
    );
    assert_eq!(outlet_country(Some("https://www.bbc.com/news"), None), None);
    assert_eq!(outlet_country(Some("https://news.tv/a"), None), None);
    assert_eq!(outlet_country(None, Some("BBC News")), None);
}

#[test]
fn buildings_and_bare_directions_are_no_towns() {
    let doc = resolved(
        "Zelensky came to the White House, while Western leaders met at Heathrow Airport in \
         London.",
        &[
            ("White House", Loc),
            ("Western", Misc),
            ("Heathrow Airport", Loc),
            ("London", Loc),
        ],
    );
    for name in ["White House", "Western", "Heathrow Airport"] {
        assert_eq!(geo_of(&doc, name), None, "{name}");
    }
    assert_eq!(where_is(&doc, "London").unwrap().1, "GB");
}

#[test]
fn a_compound_of_one_place_and_lowercase_words_is_the_place() {
    let doc = resolved(
        "The Seattle-based company joined the U.S.-led effort; Russia-Ukraine talks stalled.",
        &[
            ("Seattle-based", Misc),
            ("U.S.-led", Misc),
            ("Russia-Ukraine", Misc),
        ],
    );
    assert_eq!(
        where_is(&doc, "Seattle-based"),
        Some(("city", "US".into(), Some("US-WA".into())))
    );
    assert_eq!(where_is(&doc, "U.S.-led").unwrap().0, "country");
    assert_eq!(geo_of(&doc, "Russia-Ukraine"), None);
}

/// (text, source, name, admin1) of each place `doc` found outside its entities.
fn found(doc: &Doc) -> Vec<(&str, &'static str, &str, Option<&str>)> {
    doc.places
        .iter()
        .map(|p| {
            (
                p.span.text(&doc.text),
                p.source.as_str(),
                p.geo.name.as_str(),
                p.geo.admin1.as_deref(),
            )
        })
        .collect()
}

#[test]
fn the_gazetteer_finds_places_the_tagger_missed() {
    let doc = resolved(
        "The fire broke out near Edmonton, Kentucky, on Tuesday. Crews came from Glasgow, \
         Kentucky, as well.",
        &[],
    );
    let places = found(&doc);
    assert!(places.contains(&("Edmonton", "text", "Edmonton", Some("US-KY"))));
    assert!(places.contains(&("Glasgow", "text", "Glasgow", Some("US-KY"))));
    assert!(doc.places.iter().all(|p| p.geo.confidence > 0.0));
    assert_eq!(doc.countries[0].code, "US");
}

#[test]
fn counties_are_second_level_places_with_their_state() {
    // A second-level subdivision scores below a choice on its own (see `resolve`): the
    // article's other places (here its state) support it.
    let doc = resolved(
        "The man was arrested in Metcalfe County on Friday, Kentucky police said.",
        &[("Metcalfe County", Loc), ("Kentucky", Loc)],
    );
    let county = geo_of(&doc, "Metcalfe County").expect("the county");
    assert_eq!(
        (county.feature, county.admin1.as_deref()),
        ("admin2", Some("US-KY"))
    );
    assert!(county.id.starts_with("fips:"), "{}", county.id);
    assert!(distance_km((county.lat, county.lon), (36.99, -85.63)) < 50.0);
}

#[test]
fn a_place_inside_an_organisation_is_a_mention_of_its_own() {
    let doc = resolved(
        "The Kentucky State Police said the road to Louisville was closed. Officers from \
         Costco Canada helped.",
        &[
            ("Kentucky State Police", Org),
            ("Louisville", Loc),
            ("Costco Canada", Org),
        ],
    );
    assert!(
        geo_of(&doc, "Kentucky State Police").is_none(),
        "the ORG stays an ORG"
    );
    let places = found(&doc);
    assert!(places.contains(&("Kentucky", "name", "Kentucky", Some("US-KY"))));
    assert!(places.iter().any(|p| p.0 == "Canada" && p.1 == "name"));
    let university = resolved(
        "She studied at Ryerson University in Toronto.",
        &[("Ryerson University", Org), ("Toronto", Loc)],
    );
    assert!(
        found(&university).is_empty(),
        "a town past a name's first word is no place"
    );
}

#[test]
fn common_words_months_titles_and_persons_are_no_places() {
    let doc = resolved(
        "In May, President Reading met Paris Hilton. Reading is fun, and reading more is \
         better. \"If it works,\" she said.",
        &[("Paris Hilton", Person), ("Reading", Person)],
    );
    assert!(found(&doc).is_empty(), "{:?}", found(&doc));
}

#[test]
fn datelines_are_the_article_s_place() {
    let dateline = |text: &str| {
        let doc = resolved(text, &[]);
        doc.dateline.map(|d| {
            let geo = d.geo.map(|g| (g.name, g.admin1));
            (d.span.text(&doc.text).to_string(), geo)
        })
    };
    assert_eq!(
        dateline("EDMONTON, Ky. (WBKO) -- One man is dead after a hunting accident."),
        Some((
            "EDMONTON, Ky.".into(),
            Some(("Edmonton".into(), Some("US-KY".into())))
        ))
    );
    let london = dateline("LONDON (Reuters) - An explosion hit a supermarket.").unwrap();
    assert_eq!(london.1.unwrap().1.as_deref(), Some("GB-ENG"));
    assert_eq!(
        dateline("WASHINGTON Barack Obama pardoned a turkey.").map(|d| d.0),
        Some("WASHINGTON".into())
    );
    assert_eq!(dateline("US President-elect Donald Trump said so."), None);
    assert_eq!(dateline("GREEN fingered youngsters won a prize."), None);
}

#[test]
fn a_person_where_only_a_place_can_stand_is_the_place() {
    let doc = resolved(
        "Rebels held out in eastern Aleppo. Homes were searched in the Cairns suburbs of \
         Edmonton, Mount Sheridan, Bentley Park and Trinity Beach. A letter from Scott arrived.",
        &[
            ("Aleppo", Person),
            ("Cairns", Loc),
            ("Edmonton", Loc),
            ("Mount Sheridan", Person),
            ("Bentley Park", Person),
            ("Trinity Beach", Person),
            ("Scott", Person),
        ],
    );
    let places = found(&doc);
    assert!(
        places.iter().any(|p| p.0 == "Aleppo" && p.2 == "Aleppo"),
        "{places:?}"
    );
    for suburb in ["Mount Sheridan", "Bentley Park", "Trinity Beach"] {
        assert!(
            places
                .iter()
                .any(|p| p.0 == suburb && p.3 == Some("AU-QLD")),
            "{suburb}: {places:?}"
        );
    }
    assert!(places.iter().all(|p| p.0 != "Scott"), "{places:?}");
}
