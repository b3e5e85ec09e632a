//! End-to-end tests of [`extract`](super::extract): whole pages in, articles or errors out,
//! including the adversarial pages the guards exist for.

use std::time::{Duration, Instant};

use super::*;

/// Paragraphs of a made-up article, with the headings among them.
const ARTICLE: &[(&str, bool)] = &[
    ("The harbour authority approved a plan on Tuesday to dredge the eastern channel, ending a dispute that had delayed shipping for two years.", false),
    ("Officials said the work would begin in the spring and take about eighteen months, with traffic limited to daylight hours.", false),
    ("Why does the channel matter?", true),
    ("Most container ships entering the port use the eastern channel, which has silted up since the last major works in the 1990s.", false),
    ("Pilots have reported grounding risks at low tide, and insurers raised premiums for larger vessels last year.", false),
    ("Who pays for it", true),
    ("The cost, estimated at 40 million euros, will be split between the port, the regional government and a group of shipping lines.", false),
    ("A spokesperson for the shipping lines said the agreement was \"fair to everyone who depends on the harbour\".", false),
    ("Environmental concerns", true),
    ("Conservation groups warned that dredging could disturb seagrass beds, and asked for independent monitoring of the works.", false),
    ("The authority said it would publish water-quality data every month while the dredgers are at work.", false),
    ("What happens next?", true),
    ("Tenders for the dredging contract open next week, and the authority expects to name a contractor before the summer.", false),
    ("Local fishing cooperatives will be consulted on the timing of the works near their moorings.", false),
    ("Timeline", true),
    ("The first phase covers the outer bar, the second the inner basin, and the final phase the approach to the container terminal.", false),
];

fn article_html(related_inside_article: bool) -> String {
    let body: String = ARTICLE
        .iter()
        .map(|(text, heading)| {
            if *heading {
                format!("<h2>{text}</h2>\n")
            } else {
                format!("<p>{text}</p>\n")
            }
        })
        .collect();
    let related = "<h2>Related stories</h2><ul>\
        <li><a href=\"/a\">Ferry operator adds a night crossing for the summer</a></li>\
        <li><a href=\"/b\">Port workers agree a new pay deal after long talks</a></li>\
        <li><a href=\"/c\">Ten photos of the tall ships festival</a></li></ul>";
    let (inside, outside) = if related_inside_article {
        (related, "")
    } else {
        ("", related)
    };
    format!(
        "<!doctype html><html lang=\"en-GB\"><head><title>Harbour plan approved | Coast News</title></head>\
         <body><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/local\">Local</a></li>\
         <li><a href=\"/sport\">Sport</a></li></ul></nav>\
         <main><article><h1>Harbour plan approved</h1>{body}{inside}</article>{outside}</main>\
         <footer><p>Copyright Coast News. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer>\
         </body></html>"
    )
}

fn extract_ok(html: &str) -> ExtractedPage {
    match extract(html, &HtmlLimits::default()) {
        Ok(page) => page,
        Err(err) => panic!("extraction failed: {err}"),
    }
}

#[test]
fn simple_page_yields_exactly_the_article_paragraphs_and_headings() {
    for related_inside_article in [false, true] {
        let page = extract_ok(&article_html(related_inside_article));
        let expected: Vec<&str> = ARTICLE.iter().map(|(text, _)| *text).collect();
        let paragraphs: Vec<&str> = page.text.split("\n\n").collect();
        assert_eq!(paragraphs, expected);
        let headings: Vec<&str> = page
            .headings
            .iter()
            .map(|h| &page.text[h.start..h.end])
            .collect();
        let expected_headings: Vec<&str> = ARTICLE
            .iter()
            .filter(|(_, h)| *h)
            .map(|(text, _)| *text)
            .collect();
        assert_eq!(headings, expected_headings);
        assert!(page.headings.iter().all(|h| h.level == 2));
    }
}

#[test]
fn heading_spans_are_whole_paragraphs_on_char_boundaries() {
    let html = "<html><body><article>\
        <p>Première partie du texte, assez longue pour être retenue comme article à part entière, avec des accents.</p>\
        <h3>Étape <em>suivante</em> — café</h3>\
        <p>Deuxième partie du texte, elle aussi assez longue pour être retenue, avec encore des accents là.</p>\
        <p>Troisième partie du texte, toujours assez longue pour que le lecteur la garde dans l'article.</p>\
        </article></body></html>";
    let page = extract_ok(html);
    assert_eq!(page.headings.len(), 1);
    let heading = page.headings[0];
    assert_eq!(heading.level, 3);
    assert!(page.text.is_char_boundary(heading.start) && page.text.is_char_boundary(heading.end));
    assert_eq!(
        &page.text[heading.start..heading.end],
        "Étape suivante — café"
    );
    assert_eq!(&page.text[heading.start - 2..heading.start], "\n\n");
    assert_eq!(&page.text[heading.end..heading.end + 2], "\n\n");
    assert!(!page.text.split("\n\n").any(|p| p.contains('\n')));
}

/// Runs `extract` on a thread with the 2 MiB stack threads get by default.
fn extract_on_small_stack(html: String) -> Result<ExtractedPage, HtmlError> {
    let worker = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        // A generous time budget: these tests check behaviour on a normal stack, and a
        // loaded CI machine running a debug build must not turn them into timeouts.
        .spawn(move || {
            let limits = HtmlLimits {
                max_millis: 120_000,
                ..HtmlLimits::default()
            };
            extract(&html, &limits)
        });
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(result)) => result,
        _ => panic!("extraction thread failed"),
    }
}

fn prose() -> String {
    "<p>Ordinary article prose follows here, long enough to be kept as the body, with commas, too.</p>".repeat(6)
}

#[test]
fn hundred_thousand_nested_elements_are_refused_quickly() {
    for (open, close) in [
        ("<div>", "</div>"),
        ("<div>", ""),
        ("<b>", ""),
        ("<div/>", ""),
        ("<ul><li>", ""),
    ] {
        let html = format!(
            "<html><body>{}{}{}</body></html>",
            open.repeat(100_000),
            prose(),
            close.repeat(100_000)
        );
        let started = Instant::now();
        let result = extract_on_small_stack(html);
        assert!(
            matches!(result, Err(HtmlError::TooComplex(_))),
            "{open}: {result:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

#[test]
fn nesting_just_under_the_limit_extracts_on_a_small_stack() {
    let depth = HtmlLimits::default().max_depth - 10;
    let html = format!(
        "<html><body>{}{}{}</body></html>",
        "<div>".repeat(depth),
        prose(),
        "</div>".repeat(depth)
    );
    let page = extract_on_small_stack(html).unwrap_or_else(|err| panic!("{err}"));
    assert!(page.text.starts_with("Ordinary article prose"));
}

#[test]
fn megabytes_of_inline_script_are_skipped() {
    let script = "var s = '<div><p>not text</p>'; if (a < b) { run(); }\n".repeat(40_000);
    let html = format!("<html><head><script>{script}</script></head><body>{}<script>{script}</script></body></html>", prose());
    let page = extract_on_small_stack(html).unwrap_or_else(|err| panic!("{err}"));
    assert!(!page.text.contains("not text"));
    assert!(page.text.starts_with("Ordinary article prose"));
}

#[test]
fn wrongly_decoded_pages_still_extract() {
    let mojibake = "<p>CafÃ© dÃ©jÃ  vu \u{fffd}\u{fffd} ã\u{81}\u{93}ã\u{82}\u{93} with enough words to be the article body here.</p>".repeat(5);
    let html = format!(
        "<html><head><meta charset=\"x-no-such-charset\"></head><body>{mojibake}</body></html>"
    );
    let page = extract_on_small_stack(html).unwrap_or_else(|err| panic!("{err}"));
    assert!(page.text.contains("CafÃ©"));
}

#[test]
fn nul_bytes_in_a_page_are_parsed_as_a_browser_would() {
    // HTML5 drops NUL in body text and replaces it with U+FFFD in the title (RCDATA).
    let html = format!(
        "<html><head><title>Harbour\0 plan</title></head><body><p>The harbour\0 authority \u{1}approved the plan.</p>{}</body></html>",
        prose()
    );
    let page = extract_on_small_stack(html).unwrap_or_else(|err| panic!("{err}"));
    assert!(
        page.text
            .starts_with("The harbour authority approved the plan."),
        "{}",
        page.text
    );
    assert!(!page.text.contains(|c: char| c.is_control() && c != '\n'));
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("Harbour\u{fffd} plan")
    );
}

#[test]
fn limits_are_enforced() {
    let tiny = HtmlLimits {
        max_bytes: 100,
        ..HtmlLimits::default()
    };
    assert!(matches!(
        extract(&prose(), &tiny),
        Err(HtmlError::TooComplex(_))
    ));
    let no_time = HtmlLimits {
        max_millis: 0,
        ..HtmlLimits::default()
    };
    let many_links = format!(
        "<html><body>{}</body></html>",
        "<ul><li><a href=x>link</a>".repeat(300)
    );
    assert!(matches!(
        extract(&many_links, &no_time),
        Err(HtmlError::TooComplex(_))
    ));
}

#[test]
fn non_html_and_empty_pages_are_errors() {
    let unparseable = [
        "",
        "plain words, no markup",
        "\u{1}\u{2}\u{3}\u{4}<html>\u{5}\u{6}\u{7}\u{8}",
    ];
    for input in unparseable {
        assert!(
            matches!(
                extract(input, &HtmlLimits::default()),
                Err(HtmlError::Unparseable(_))
            ),
            "{input:?}"
        );
    }
    let no_body = [
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<html><body><nav><a href=/>Home</a> <a href=/news>News</a></nav></body></html>",
        "<html><body><script>document.write('x')</script></body></html>",
    ];
    for input in no_body {
        assert!(
            matches!(
                extract(input, &HtmlLimits::default()),
                Err(HtmlError::NoBody(_))
            ),
            "{input:?}"
        );
    }
}

#[test]
fn truncated_and_mangled_pages_never_panic() {
    let html = article_html(true);
    let mut cut = 0;
    while cut < html.len() {
        if html.is_char_boundary(cut) {
            let _ = extract(&html[..cut], &HtmlLimits::default());
            let _ = extract(&html[cut..], &HtmlLimits::default());
        }
        cut += 97;
    }
    let _ = extract(&html.replace('>', ""), &HtmlLimits::default());
    let _ = extract(&html.replace('<', "<<"), &HtmlLimits::default());
    let _ = extract(&html.replace('"', ""), &HtmlLimits::default());
}

#[test]
fn errors_and_sources_display_clearly() {
    let err = HtmlError::TooComplex("elements nest deeper than the limit of 512 levels".into());
    assert_eq!(err.to_string(), "page too complex to extract within limits: elements nest deeper than the limit of 512 levels");
    let names: Vec<&str> = [
        MetaSource::JsonLd,
        MetaSource::OpenGraph,
        MetaSource::MetaTag,
        MetaSource::TimeElement,
        MetaSource::TitleElement,
        MetaSource::Html,
    ]
    .iter()
    .map(|s| s.as_str())
    .collect();
    assert_eq!(
        names,
        ["json-ld", "opengraph", "meta", "time", "title", "html"]
    );
}
