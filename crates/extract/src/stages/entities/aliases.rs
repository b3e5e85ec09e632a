//! A small built-in table of well-known names and their aliases: countries and major
//! international bodies, so that "US", "U.S.", "America" and "United States" end up as one
//! entity called "United States" even though nothing in the article says they are the same.
//!
//! Only general knowledge belongs here, never names taken from a particular article.
//! Sources:
//!
//! * countries: the 193 UN member states and the two observer states, plus a few widely
//!   reported territories, under the short English names of the UN M49 / ISO 3166-1 lists
//!   as titled by English Wikipedia ("Russia", not "Russian Federation");
//! * aliases: the official long names from the same lists, ISO 3166-1 alpha-3 codes where news
//!   writes them (USA, UAE, DRC), and the common English short forms (Britain, Holland, Burma);
//! * international bodies: the English Wikipedia article titles and their standard acronyms.
//!
//! Look-ups go through [`name_key`], which ignores case, periods and a leading "the", so
//! "U.S.", "US" and "the US" are one key.

use std::collections::HashMap;

use crate::ner::EntityType;

/// A canonical entry of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownName {
    /// The canonical name.
    pub name: &'static str,
    /// Its type: countries and territories are LOC, international bodies ORG.
    pub kind: EntityType,
}

/// Canonical name, type and aliases of every entry (the canonical name is also an alias).
const ENTRIES: &[(&str, EntityType, &[&str])] = &[
    // Countries whose names news writes in several ways.
    (
        "United States",
        LOC,
        &[
            "US",
            "USA",
            "U.S.",
            "U.S.A.",
            "America",
            "United States of America",
        ],
    ),
    (
        "United Kingdom",
        LOC,
        &[
            "UK",
            "U.K.",
            "Britain",
            "Great Britain",
            "United Kingdom of Great Britain and Northern Ireland",
        ],
    ),
    (
        "Soviet Union",
        LOC,
        &["USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"],
    ),
    ("Russia", LOC, &["Russian Federation"]),
    (
        "China",
        LOC,
        &["PRC", "People's Republic of China", "Mainland China"],
    ),
    ("Taiwan", LOC, &["Republic of China"]),
    ("South Korea", LOC, &["Republic of Korea", "ROK"]),
    (
        "North Korea",
        LOC,
        &["DPRK", "Democratic People's Republic of Korea"],
    ),
    ("Iran", LOC, &["Islamic Republic of Iran", "Persia"]),
    ("Syria", LOC, &["Syrian Arab Republic"]),
    (
        "Netherlands",
        LOC,
        &["Holland", "Kingdom of the Netherlands"],
    ),
    ("Czech Republic", LOC, &["Czechia"]),
    ("Ivory Coast", LOC, &["Côte d'Ivoire", "Cote d'Ivoire"]),
    ("Myanmar", LOC, &["Burma"]),
    ("United Arab Emirates", LOC, &["UAE", "U.A.E."]),
    (
        "Democratic Republic of the Congo",
        LOC,
        &["DRC", "DR Congo", "Congo-Kinshasa"],
    ),
    ("Republic of the Congo", LOC, &["Congo-Brazzaville"]),
    ("Vatican City", LOC, &["Vatican", "Holy See"]),
    (
        "Palestine",
        LOC,
        &["State of Palestine", "Palestinian territories"],
    ),
    ("Eswatini", LOC, &["Swaziland"]),
    ("North Macedonia", LOC, &["Macedonia"]),
    ("Cape Verde", LOC, &["Cabo Verde"]),
    ("Timor-Leste", LOC, &["East Timor"]),
    ("Turkey", LOC, &["Türkiye", "Turkiye"]),
    (
        "Bosnia and Herzegovina",
        LOC,
        &["Bosnia", "Bosnia-Herzegovina"],
    ),
    ("Trinidad and Tobago", LOC, &["Trinidad"]),
    ("Saudi Arabia", LOC, &["KSA", "Kingdom of Saudi Arabia"]),
    ("Vietnam", LOC, &["Viet Nam"]),
    ("Laos", LOC, &["Lao PDR"]),
    ("Moldova", LOC, &["Republic of Moldova"]),
    ("Tanzania", LOC, &["United Republic of Tanzania"]),
    ("Venezuela", LOC, &["Bolivarian Republic of Venezuela"]),
    ("Bolivia", LOC, &["Plurinational State of Bolivia"]),
    ("Micronesia", LOC, &["Federated States of Micronesia"]),
    // Countries with one name.
    ("Afghanistan", LOC, &[]),
    ("Albania", LOC, &[]),
    ("Algeria", LOC, &[]),
    ("Andorra", LOC, &[]),
    ("Angola", LOC, &[]),
    ("Antigua and Barbuda", LOC, &[]),
    ("Argentina", LOC, &[]),
    ("Armenia", LOC, &[]),
    ("Australia", LOC, &[]),
    ("Austria", LOC, &[]),
    ("Azerbaijan", LOC, &[]),
    ("Bahamas", LOC, &[]),
    ("Bahrain", LOC, &[]),
    ("Bangladesh", LOC, &[]),
    ("Barbados", LOC, &[]),
    ("Belarus", LOC, &[]),
    ("Belgium", LOC, &[]),
    ("Belize", LOC, &[]),
    ("Benin", LOC, &[]),
    ("Bhutan", LOC, &[]),
    ("Botswana", LOC, &[]),
    ("Brazil", LOC, &[]),
    ("Brunei", LOC, &[]),
    ("Bulgaria", LOC, &[]),
    ("Burkina Faso", LOC, &[]),
    ("Burundi", LOC, &[]),
    ("Cambodia", LOC, &[]),
    ("Cameroon", LOC, &[]),
    ("Canada", LOC, &[]),
    ("Central African Republic", LOC, &[]),
    ("Chad", LOC, &[]),
    ("Chile", LOC, &[]),
    ("Colombia", LOC, &[]),
    ("Comoros", LOC, &[]),
    ("Costa Rica", LOC, &[]),
    ("Croatia", LOC, &[]),
    ("Cuba", LOC, &[]),
    ("Cyprus", LOC, &[]),
    ("Denmark", LOC, &[]),
    ("Djibouti", LOC, &[]),
    ("Dominica", LOC, &[]),
    ("Dominican Republic", LOC, &[]),
    ("Ecuador", LOC, &[]),
    ("Egypt", LOC, &[]),
    ("El Salvador", LOC, &[]),
    ("Equatorial Guinea", LOC, &[]),
    ("Eritrea", LOC, &[]),
    ("Estonia", LOC, &[]),
    ("Ethiopia", LOC, &[]),
    ("Fiji", LOC, &[]),
    ("Finland", LOC, &[]),
    ("France", LOC, &[]),
    ("Gabon", LOC, &[]),
    ("Gambia", LOC, &[]),
    ("Georgia", LOC, &[]),
    ("Germany", LOC, &[]),
    ("Ghana", LOC, &[]),
    ("Greece", LOC, &[]),
    ("Grenada", LOC, &[]),
    ("Guatemala", LOC, &[]),
    ("Guinea", LOC, &[]),
    ("Guinea-Bissau", LOC, &[]),
    ("Guyana", LOC, &[]),
    ("Haiti", LOC, &[]),
    ("Honduras", LOC, &[]),
    ("Hungary", LOC, &[]),
    ("Iceland", LOC, &[]),
    ("India", LOC, &[]),
    ("Indonesia", LOC, &[]),
    ("Iraq", LOC, &[]),
    ("Ireland", LOC, &[]),
    ("Israel", LOC, &[]),
    ("Italy", LOC, &[]),
    ("Jamaica", LOC, &[]),
    ("Japan", LOC, &[]),
    ("Jordan", LOC, &[]),
    ("Kazakhstan", LOC, &[]),
    ("Kenya", LOC, &[]),
    ("Kiribati", LOC, &[]),
    ("Kuwait", LOC, &[]),
    ("Kyrgyzstan", LOC, &[]),
    ("Latvia", LOC, &[]),
    ("Lebanon", LOC, &[]),
    ("Lesotho", LOC, &[]),
    ("Liberia", LOC, &[]),
    ("Libya", LOC, &[]),
    ("Liechtenstein", LOC, &[]),
    ("Lithuania", LOC, &[]),
    ("Luxembourg", LOC, &[]),
    ("Madagascar", LOC, &[]),
    ("Malawi", LOC, &[]),
    ("Malaysia", LOC, &[]),
    ("Maldives", LOC, &[]),
    ("Mali", LOC, &[]),
    ("Malta", LOC, &[]),
    ("Marshall Islands", LOC, &[]),
    ("Mauritania", LOC, &[]),
    ("Mauritius", LOC, &[]),
    ("Mexico", LOC, &[]),
    ("Monaco", LOC, &[]),
    ("Mongolia", LOC, &[]),
    ("Montenegro", LOC, &[]),
    ("Morocco", LOC, &[]),
    ("Mozambique", LOC, &[]),
    ("Namibia", LOC, &[]),
    ("Nauru", LOC, &[]),
    ("Nepal", LOC, &[]),
    ("New Zealand", LOC, &[]),
    ("Nicaragua", LOC, &[]),
    ("Niger", LOC, &[]),
    ("Nigeria", LOC, &[]),
    ("Norway", LOC, &[]),
    ("Oman", LOC, &[]),
    ("Pakistan", LOC, &[]),
    ("Palau", LOC, &[]),
    ("Panama", LOC, &[]),
    ("Papua New Guinea", LOC, &[]),
    ("Paraguay", LOC, &[]),
    ("Peru", LOC, &[]),
    ("Philippines", LOC, &[]),
    ("Poland", LOC, &[]),
    ("Portugal", LOC, &[]),
    ("Qatar", LOC, &[]),
    ("Romania", LOC, &[]),
    ("Rwanda", LOC, &[]),
    ("Saint Kitts and Nevis", LOC, &[]),
    ("Saint Lucia", LOC, &[]),
    ("Saint Vincent and the Grenadines", LOC, &[]),
    ("Samoa", LOC, &[]),
    ("San Marino", LOC, &[]),
    ("Sao Tome and Principe", LOC, &[]),
    ("Senegal", LOC, &[]),
    ("Serbia", LOC, &[]),
    ("Seychelles", LOC, &[]),
    ("Sierra Leone", LOC, &[]),
    ("Singapore", LOC, &[]),
    ("Slovakia", LOC, &[]),
    ("Slovenia", LOC, &[]),
    ("Solomon Islands", LOC, &[]),
    ("Somalia", LOC, &[]),
    ("South Africa", LOC, &[]),
    ("South Sudan", LOC, &[]),
    ("Spain", LOC, &[]),
    ("Sri Lanka", LOC, &[]),
    ("Sudan", LOC, &[]),
    ("Suriname", LOC, &[]),
    ("Sweden", LOC, &[]),
    ("Switzerland", LOC, &[]),
    ("Tajikistan", LOC, &[]),
    ("Thailand", LOC, &[]),
    ("Togo", LOC, &[]),
    ("Tonga", LOC, &[]),
    ("Tunisia", LOC, &[]),
    ("Turkmenistan", LOC, &[]),
    ("Tuvalu", LOC, &[]),
    ("Uganda", LOC, &[]),
    ("Ukraine", LOC, &[]),
    ("Uruguay", LOC, &[]),
    ("Uzbekistan", LOC, &[]),
    ("Vanuatu", LOC, &[]),
    ("Yemen", LOC, &[]),
    ("Zambia", LOC, &[]),
    ("Zimbabwe", LOC, &[]),
    ("Kosovo", LOC, &[]),
    ("Hong Kong", LOC, &[]),
    ("Greenland", LOC, &[]),
    // Major international bodies.
    (
        "United Nations",
        ORG,
        &["UN", "U.N.", "United Nations Organization"],
    ),
    ("European Union", ORG, &["EU", "E.U."]),
    (
        "NATO",
        ORG,
        &[
            "North Atlantic Treaty Organization",
            "North Atlantic Treaty Organisation",
            "Nato",
            "OTAN",
        ],
    ),
    (
        "United Nations Security Council",
        ORG,
        &["UN Security Council", "UNSC", "U.N. Security Council"],
    ),
    (
        "World Health Organization",
        ORG,
        &["WHO", "World Health Organisation"],
    ),
    ("International Monetary Fund", ORG, &["IMF"]),
    ("World Bank", ORG, &["World Bank Group"]),
    (
        "World Trade Organization",
        ORG,
        &["WTO", "World Trade Organisation"],
    ),
    (
        "OPEC",
        ORG,
        &["Organization of the Petroleum Exporting Countries", "Opec"],
    ),
    (
        "OECD",
        ORG,
        &[
            "Organisation for Economic Co-operation and Development",
            "Organization for Economic Cooperation and Development",
        ],
    ),
    (
        "ASEAN",
        ORG,
        &["Association of Southeast Asian Nations", "Asean"],
    ),
    ("African Union", ORG, &["AU"]),
    ("European Commission", ORG, &[]),
    ("European Central Bank", ORG, &["ECB"]),
    ("International Criminal Court", ORG, &["ICC"]),
    (
        "International Court of Justice",
        ORG,
        &["ICJ", "World Court"],
    ),
    ("International Atomic Energy Agency", ORG, &["IAEA"]),
    (
        "UNESCO",
        ORG,
        &["United Nations Educational, Scientific and Cultural Organization"],
    ),
    ("UNICEF", ORG, &["United Nations Children's Fund", "Unicef"]),
    (
        "Interpol",
        ORG,
        &["International Criminal Police Organization"],
    ),
    ("International Olympic Committee", ORG, &["IOC"]),
    (
        "FIFA",
        ORG,
        &["Fifa", "Fédération Internationale de Football Association"],
    ),
    ("Group of Seven", ORG, &["G7", "G-7"]),
    ("Group of Twenty", ORG, &["G20", "G-20"]),
];

const LOC: EntityType = EntityType::Loc;
const ORG: EntityType = EntityType::Org;

/// The alias table, indexed by [`name_key`].
#[derive(Debug, Clone)]
pub struct AliasTable {
    by_key: HashMap<String, KnownName>,
}

impl AliasTable {
    /// Builds the table from the built-in entries.
    pub fn new() -> Self {
        let mut by_key = HashMap::with_capacity(ENTRIES.len() * 2);
        for &(name, kind, aliases) in ENTRIES {
            let known = KnownName { name, kind };
            for alias in std::iter::once(&name).chain(aliases) {
                by_key.insert(name_key(alias), known);
            }
        }
        AliasTable { by_key }
    }

    /// The known name `name` stands for, if any.
    pub fn lookup(&self, name: &str) -> Option<KnownName> {
        self.lookup_key(&name_key(name))
    }

    /// The known name of a key made by [`name_key`].
    pub fn lookup_key(&self, key: &str) -> Option<KnownName> {
        self.by_key.get(key).copied()
    }
}

impl Default for AliasTable {
    fn default() -> Self {
        AliasTable::new()
    }
}

/// The comparison key of a name: lower case, periods dropped, typographic apostrophes made
/// plain, runs of spaces made one, a leading "the" dropped. "U.S." and "the US" → "us".
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if key.is_empty() && word.eq_ignore_ascii_case("the") {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars() {
            match c {
                '.' => {}
                '’' | '‘' => key.push('\''),
                c => key.extend(c.to_lowercase()),
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_of_a_country_find_its_canonical_name() {
        let table = AliasTable::new();
        for alias in [
            "US",
            "U.S.",
            "USA",
            "America",
            "the United States",
            "united states",
        ] {
            assert_eq!(
                table.lookup(alias).map(|k| k.name),
                Some("United States"),
                "{alias}"
            );
        }
        for alias in ["UK", "U.K.", "Britain", "Great Britain"] {
            assert_eq!(table.lookup(alias).map(|k| k.name), Some("United Kingdom"));
        }
        assert_eq!(table.lookup("USSR").map(|k| k.name), Some("Soviet Union"));
        assert_eq!(table.lookup("UN").map(|k| k.kind), Some(EntityType::Org));
        assert_eq!(
            table.lookup("Ukraine").map(|k| k.kind),
            Some(EntityType::Loc)
        );
    }

    #[test]
    fn nationality_adjectives_are_not_countries() {
        let table = AliasTable::new();
        for adjective in ["American", "Ukrainian", "Russian", "British"] {
            assert_eq!(table.lookup(adjective), None, "{adjective}");
        }
    }

    #[test]
    fn no_alias_points_at_two_names() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for &(name, _, aliases) in ENTRIES {
            for alias in std::iter::once(&name).chain(aliases) {
                let previous = seen.insert(name_key(alias), name);
                assert!(
                    previous.is_none_or(|p| p == name),
                    "{alias} is listed under {previous:?} and {name}"
                );
            }
        }
    }

    #[test]
    fn keys_ignore_case_periods_and_a_leading_the() {
        assert_eq!(name_key("U.S."), "us");
        assert_eq!(name_key("The  New York   Times"), "new york times");
        assert_eq!(name_key("Côte d’Ivoire"), "côte d'ivoire");
        assert_eq!(name_key(""), "");
    }
}
