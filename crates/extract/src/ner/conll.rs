//! Reading NER data: CoNLL-2003 files (one `token POS chunk NER` line per token, a blank
//! line between sentences and a `-DOCSTART-` line between documents) and Universal NER
//! files (`.iob2`: tab-separated `index token tag - -` lines, `# …` comment lines, a
//! `# newdoc` comment between documents).
//!
//! Only the first column (the token) and the last column (the IOB2 NER tag) are kept:
//! part-of-speech and chunk tags do not exist for raw articles, so the model must not
//! learn to rely on them. Documents matter because the model uses document-level
//! evidence (how a word is written and labelled elsewhere in the same story).

use std::path::Path;

use super::{EntitySpan, EntityType, NerError};

/// One IOB2 tag from the NER column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IobTag {
    /// Outside any entity (`O`).
    Outside,
    /// First token of an entity (`B-TYPE`).
    Begin(EntityType),
    /// Continuation of an entity (`I-TYPE`); after `O` or another type it starts a new
    /// entity, as conlleval reads it.
    Inside(EntityType),
}

impl IobTag {
    /// Parses `O`, `B-PER`, `I-LOC`, …; `None` for anything else.
    pub fn parse(tag: &str) -> Option<IobTag> {
        if tag == "O" {
            return Some(IobTag::Outside);
        }
        let (prefix, name) = tag.split_once('-')?;
        let kind = EntityType::from_conll(name)?;
        match prefix {
            "B" => Some(IobTag::Begin(kind)),
            "I" => Some(IobTag::Inside(kind)),
            _ => None,
        }
    }
}

/// One sentence: its tokens and their gold tags (same length).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConllSentence {
    /// The token column.
    pub tokens: Vec<String>,
    /// The NER column.
    pub tags: Vec<IobTag>,
}

impl ConllSentence {
    /// The sentence's gold entity spans.
    pub fn spans(&self) -> Vec<EntitySpan> {
        spans_from_iob(&self.tags)
    }

    /// The tokens as string slices, the form [`super::NerModel::tag_document`] takes.
    pub fn token_strs(&self) -> Vec<&str> {
        self.tokens.iter().map(String::as_str).collect()
    }
}

/// One document: the sentences between two `-DOCSTART-` lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConllDocument {
    /// The document's sentences, in order.
    pub sentences: Vec<ConllSentence>,
}

impl ConllDocument {
    /// The document in the form [`super::NerModel::tag_document`] takes.
    pub fn token_strs(&self) -> Vec<Vec<&str>> {
        self.sentences
            .iter()
            .map(ConllSentence::token_strs)
            .collect()
    }
}

/// Reads a CoNLL file, or a Universal NER file when its name ends in `.iob2`, into documents.
pub fn read_conll(path: &Path) -> Result<Vec<ConllDocument>, NerError> {
    let text = std::fs::read_to_string(path).map_err(|source| NerError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if is_uner(path) {
        parse_uner(&text, path)
    } else {
        parse_conll(&text, path)
    }
}

/// Whether `path` names a Universal NER file (by its `.iob2` extension).
pub fn is_uner(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "iob2")
}

/// Collects tokens into sentences and sentences into documents while a file is parsed; empty
/// sentences and documents are dropped.
#[derive(Default)]
struct DocumentsBuilder {
    documents: Vec<ConllDocument>,
    document: ConllDocument,
    sentence: ConllSentence,
}

impl DocumentsBuilder {
    fn push(&mut self, token: &str, tag: IobTag) {
        self.sentence.tokens.push(token.to_string());
        self.sentence.tags.push(tag);
    }

    fn end_sentence(&mut self) {
        if !self.sentence.tokens.is_empty() {
            self.document
                .sentences
                .push(std::mem::take(&mut self.sentence));
        }
    }

    fn end_document(&mut self) {
        self.end_sentence();
        if !self.document.sentences.is_empty() {
            self.documents.push(std::mem::take(&mut self.document));
        }
    }

    fn finish(mut self) -> Vec<ConllDocument> {
        self.end_document();
        self.documents
    }
}

/// Parses Universal NER text: the token is the second tab-separated column and the tag the
/// third; `# newdoc` comments start documents, other comments are skipped.
pub fn parse_uner(text: &str, path: &Path) -> Result<Vec<ConllDocument>, NerError> {
    let mut built = DocumentsBuilder::default();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with("# newdoc") {
            built.end_document();
        } else if line.trim().is_empty() {
            built.end_sentence();
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: String| NerError::BadConll {
            path: path.to_path_buf(),
            line: number + 1,
            reason,
        };
        let mut fields = line.split('\t');
        let (Some(_index), Some(token), Some(tag_text)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(bad("expected `index<TAB>token<TAB>tag`".to_string()));
        };
        let tag =
            IobTag::parse(tag_text).ok_or_else(|| bad(format!("bad NER tag {tag_text:?}")))?;
        built.push(token, tag);
    }
    Ok(built.finish())
}

/// Parses CoNLL text; `path` only labels error messages. A file without `-DOCSTART-`
/// lines is one document; empty documents and sentences are dropped.
pub fn parse_conll(text: &str, path: &Path) -> Result<Vec<ConllDocument>, NerError> {
    let mut built = DocumentsBuilder::default();
    for (number, line) in text.lines().enumerate() {
        let mut fields = line.split_whitespace();
        let Some(token) = fields.next() else {
            built.end_sentence();
            continue;
        };
        if token == "-DOCSTART-" {
            built.end_document();
            continue;
        }
        let bad = |reason: String| NerError::BadConll {
            path: path.to_path_buf(),
            line: number + 1,
            reason,
        };
        let tag_text = fields
            .last()
            .ok_or_else(|| bad(format!("token {token:?} has no NER tag column")))?;
        let tag =
            IobTag::parse(tag_text).ok_or_else(|| bad(format!("bad NER tag {tag_text:?}")))?;
        built.push(token, tag);
    }
    Ok(built.finish())
}

/// Turns IOB tags into entity spans the way conlleval does: an entity starts at `B-X`,
/// or at `I-X` when the previous tag is `O` or of another type, and runs over the
/// following `I-X` tags.
pub fn spans_from_iob(tags: &[IobTag]) -> Vec<EntitySpan> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (index, tag) in tags.iter().enumerate() {
        let continues =
            matches!((tag, open), (IobTag::Inside(kind), Some((_, current))) if *kind == current);
        if continues {
            continue;
        }
        if let Some((start, kind)) = open.take() {
            spans.push(EntitySpan {
                start,
                end: index,
                kind,
            });
        }
        if let IobTag::Begin(kind) | IobTag::Inside(kind) = tag {
            open = Some((index, *kind));
        }
    }
    if let Some((start, kind)) = open {
        spans.push(EntitySpan {
            start,
            end: tags.len(),
            kind,
        });
    }
    spans
}

/// Writes spans back as IOB2 tags for a sentence of `len` tokens (spans past the end
/// are clipped).
pub fn iob_from_spans(spans: &[EntitySpan], len: usize) -> Vec<IobTag> {
    let mut tags = vec![IobTag::Outside; len];
    for span in spans {
        for (index, tag) in tags.iter_mut().enumerate().take(span.end).skip(span.start) {
            *tag = if index == span.start {
                IobTag::Begin(span.kind)
            } else {
                IobTag::Inside(span.kind)
            };
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n\n-DOCSTART- -X- -X- O\n\nBRUSSELS NNP B-NP B-LOC\n";

    #[test]
    fn reads_documents_and_sentences() {
        let docs = parse_conll(SAMPLE, Path::new("sample")).expect("valid sample");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].tokens, ["EU", "rejects", "German"]);
        assert_eq!(
            docs[0].sentences[1].tags,
            [
                IobTag::Begin(EntityType::Person),
                IobTag::Inside(EntityType::Person)
            ]
        );
        assert_eq!(docs[1].sentences[0].tokens, ["BRUSSELS"]);
    }

    #[test]
    fn file_without_docstart_is_one_document() {
        let docs = parse_conll("a O\n\nb B-LOC\n", Path::new("x")).expect("valid");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].sentences.len(), 2);
    }

    #[test]
    fn two_column_lines_and_trailing_blank_lines() {
        let docs = parse_conll("Paris B-LOC\n\n\n\n", Path::new("x")).expect("valid");
        assert_eq!(docs[0].sentences[0].tags, [IobTag::Begin(EntityType::Loc)]);
        assert!(parse_conll("\n\n-DOCSTART- O\n", Path::new("x"))
            .expect("valid")
            .is_empty());
    }

    #[test]
    fn bad_tag_reports_line() {
        let err = parse_conll("a O\nb B-FOO\n", Path::new("x")).expect_err("bad tag");
        assert!(err.to_string().contains("x:2"), "{err}");
        assert!(parse_conll("a\n", Path::new("x")).is_err());
    }

    #[test]
    fn reads_universal_ner_documents() {
        let text = "# newdoc id = n1\n# text = Obama spoke.\n1\tObama\tB-PER\t-\t-\n2\tspoke\tO\t-\t-\n\n# text = In Paris\n1\tIn\tO\t-\t-\n2\tParis\tB-LOC\t-\t-\n\n# newdoc id = n2\n1\tHi\tO\t-\t-\n";
        let docs = parse_uner(text, Path::new("x.iob2")).expect("valid");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[1].tokens, ["In", "Paris"]);
        assert_eq!(
            docs[0].sentences[0].tags[0],
            IobTag::Begin(EntityType::Person)
        );
        let err = parse_uner("1\tword\n", Path::new("x.iob2")).expect_err("no tag");
        assert!(err.to_string().contains("x.iob2:1"), "{err}");
        assert!(is_uner(Path::new("a/uner-en-pud.iob2")));
        assert!(!is_uner(Path::new("a/dev.txt")));
    }

    #[test]
    fn spans_follow_conlleval() {
        use IobTag::*;
        let tags = [
            Inside(EntityType::Person),
            Inside(EntityType::Person),
            Begin(EntityType::Person),
            Outside,
            Inside(EntityType::Loc),
            Inside(EntityType::Org),
            Begin(EntityType::Misc),
        ];
        let spans = spans_from_iob(&tags);
        let got: Vec<_> = spans.iter().map(|s| (s.start, s.end, s.kind)).collect();
        assert_eq!(
            got,
            [
                (0, 2, EntityType::Person),
                (2, 3, EntityType::Person),
                (4, 5, EntityType::Loc),
                (5, 6, EntityType::Org),
                (6, 7, EntityType::Misc)
            ]
        );
        assert_eq!(
            iob_from_spans(&spans, tags.len())[0],
            Begin(EntityType::Person)
        );
        assert_eq!(spans_from_iob(&iob_from_spans(&spans, tags.len())), spans);
    }
}
