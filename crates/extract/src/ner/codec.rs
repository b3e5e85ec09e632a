//! The model file format: a zlib-compressed little-endian binary record.
//!
//! Layout after decompression (all integers little-endian):
//!
//! ```text
//! magic "NWNERv02"
//! settings: window u32, affix_len u32, flags u8 (clusters, gazetteer, document_case, second_pass,
//!           context_aggregation, span_typer)
//! features: count u32, then count feature keys u64
//! layers: count u8 (1 or 2), each: scale f32, 306 transition f32,
//!         then per feature a u32 bit mask of its non-zero labels and one i16 per set bit
//! gazetteer: count u32, each: type mask u8, byte length u16, UTF-8 name
//! clusters: byte length u32 of newline-terminated words, the words, count u32, count × 3 u16
//! span typer: count u32, each: key u64, 4 f32 (type scores)
//! ```
//!
//! Version 1 files (magic "NWNERv01", models trained before the span typer) end after the
//! clusters; they still load, without a typer.
//!
//! Rows are stored sparsely because most features carry weight for only a few labels;
//! that and compression keep the file small, and decoding is one linear scan.

use std::io::{Read, Write};

use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use flate2::Compression;

use super::features::FeatureSettings;
use super::labels::LABEL_COUNT;
use super::lexicon::{Gazetteer, WordClusters};
use super::model::{Layer, NerModel, TRANSITION_COUNT};
use super::typer::SpanTyper;

const MAGIC: &[u8; 8] = b"NWNERv02";
/// The magic of files written before the span typer.
const MAGIC_V1: &[u8; 8] = b"NWNERv01";

/// Serialises a model into the compressed file format.
pub(crate) fn encode(model: &NerModel) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    let settings = &model.settings;
    put_u32(&mut out, settings.window as u32);
    put_u32(&mut out, settings.affix_len as u32);
    let flags = [
        settings.clusters,
        settings.gazetteer,
        settings.document_case,
        settings.second_pass,
        settings.context_aggregation,
        settings.span_typer,
    ]
    .iter()
    .enumerate()
    .fold(0u8, |flags, (bit, on)| flags | u8::from(*on) << bit);
    out.push(flags);
    put_u32(&mut out, model.keys.len() as u32);
    for key in &model.keys {
        out.extend_from_slice(&key.to_le_bytes());
    }
    let layers = model.layers();
    out.push(layers.len() as u8);
    for layer in &layers {
        out.extend_from_slice(&layer.pass.scale.to_le_bytes());
        for weight in &layer.pass.transitions {
            out.extend_from_slice(&weight.to_le_bytes());
        }
        for row in &layer.rows {
            let mask =
                row.iter().enumerate().fold(
                    0u32,
                    |mask, (label, w)| if *w != 0 { mask | 1 << label } else { mask },
                );
            put_u32(&mut out, mask);
            for weight in row.iter().filter(|w| **w != 0) {
                out.extend_from_slice(&weight.to_le_bytes());
            }
        }
    }
    let entries = model.gazetteer.entries();
    put_u32(&mut out, entries.len() as u32);
    for (name, mask) in entries {
        out.push(*mask);
        let bytes = &name.as_bytes()[..name.len().min(usize::from(u16::MAX))];
        out.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    let words = model.clusters.words();
    put_u32(&mut out, words.len() as u32);
    out.extend_from_slice(words.as_bytes());
    put_u32(&mut out, model.clusters.ids().len() as u32);
    for ids in model.clusters.ids() {
        for id in ids {
            out.extend_from_slice(&id.to_le_bytes());
        }
    }
    let typer: Vec<(u64, [f32; 4])> = model.typer.iter().flat_map(|t| t.rows()).collect();
    put_u32(&mut out, typer.len() as u32);
    for (key, row) in typer {
        out.extend_from_slice(&key.to_le_bytes());
        for weight in row {
            out.extend_from_slice(&weight.to_le_bytes());
        }
    }
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&out)?;
    encoder.finish()
}

/// Parses the compressed file format; the error says what was wrong.
pub(crate) fn decode(bytes: &[u8]) -> Result<NerModel, String> {
    let mut raw = Vec::new();
    ZlibDecoder::new(bytes)
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot decompress: {e}"))?;
    let mut input = Input { bytes: &raw };
    let version = match input.take(MAGIC.len())? {
        magic if magic == MAGIC => 2,
        magic if magic == MAGIC_V1 => 1,
        _ => return Err("wrong magic or version".to_string()),
    };
    let window = input.u32()? as usize;
    let affix_len = input.u32()? as usize;
    let flags = input.u8()?;
    let settings = FeatureSettings {
        window,
        affix_len,
        clusters: flags & 1 != 0,
        gazetteer: flags & 2 != 0,
        document_case: flags & 4 != 0,
        second_pass: flags & 8 != 0,
        context_aggregation: flags & 16 != 0,
        span_typer: flags & 32 != 0,
    };
    let feature_count = input.u32()? as usize;
    let keys = (0..feature_count)
        .map(|_| input.u64())
        .collect::<Result<Vec<_>, _>>()?;
    let layer_count = input.u8()?;
    if !(1..=2).contains(&layer_count) {
        return Err(format!("{layer_count} layers"));
    }
    let mut layers = Vec::new();
    for _ in 0..layer_count {
        let scale = input.f32()?;
        let transitions = (0..TRANSITION_COUNT)
            .map(|_| input.f32())
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows = Vec::with_capacity(feature_count.min(input.bytes.len() / 4));
        for _ in 0..feature_count {
            let mask = input.u32()?;
            let mut row = [0i16; LABEL_COUNT];
            for (label, weight) in row.iter_mut().enumerate() {
                if mask & 1 << label != 0 {
                    *weight = input.i16()?;
                }
            }
            rows.push(row);
        }
        layers.push(Layer::new(rows, scale, transitions));
    }
    let entry_count = input.u32()? as usize;
    let mut entries = Vec::with_capacity(entry_count.min(1 << 20));
    for _ in 0..entry_count {
        let mask = input.u8()?;
        let length = usize::from(input.u16()?);
        let name = std::str::from_utf8(input.take(length)?).map_err(|e| e.to_string())?;
        entries.push((name.to_string(), mask));
    }
    let words_length = input.u32()? as usize;
    let words = std::str::from_utf8(input.take(words_length)?).map_err(|e| e.to_string())?;
    let cluster_count = input.u32()? as usize;
    let ids = (0..cluster_count)
        .map(|_| Ok([input.u16()?, input.u16()?, input.u16()?]))
        .collect::<Result<Vec<_>, String>>()?;
    let typer = if version >= 2 {
        let count = input.u32()? as usize;
        let rows = (0..count)
            .map(|_| {
                Ok((
                    input.u64()?,
                    [input.f32()?, input.f32()?, input.f32()?, input.f32()?],
                ))
            })
            .collect::<Result<Vec<_>, String>>()?;
        settings.span_typer.then(|| SpanTyper::from_rows(rows))
    } else {
        None
    };
    if !input.bytes.is_empty() {
        return Err("trailing bytes".to_string());
    }
    let clusters = WordClusters::from_parts(words, &ids)?;
    let mut layers = layers.into_iter();
    let first = layers.next().ok_or("no layer")?;
    Ok(NerModel::new(
        settings,
        keys,
        first,
        layers.next(),
        clusters,
        Gazetteer::from_parts(entries),
        typer,
    ))
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// A cursor over the decompressed bytes that fails cleanly on truncation.
struct Input<'a> {
    bytes: &'a [u8],
}

impl<'a> Input<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], String> {
        if count > self.bytes.len() {
            return Err("truncated".to_string());
        }
        let (head, tail) = self.bytes.split_at(count);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.array()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1 file: the current encoding of a model without a typer, with the old
    /// magic and without the (empty) typer section.
    fn version_1(model: &NerModel) -> Vec<u8> {
        let mut raw = Vec::new();
        ZlibDecoder::new(encode(model).expect("encodes").as_slice())
            .read_to_end(&mut raw)
            .expect("inflates");
        raw[..MAGIC_V1.len()].copy_from_slice(MAGIC_V1);
        raw.truncate(raw.len() - 4);
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(&raw).expect("deflates");
        encoder.finish().expect("deflates")
    }

    #[test]
    fn version_1_files_load_without_a_typer() {
        let mut model = NerModel::built_in().expect("the built-in model");
        model.typer = None;
        model.settings.span_typer = false;
        let loaded = decode(&version_1(&model)).expect("a version 1 file loads");
        assert!(loaded.typer.is_none());
        assert_eq!(loaded.keys, model.keys);
        let tokens = [vec!["Shares", "in", "Pirelli", "fell", "in", "Milan", "."]];
        assert_eq!(loaded.tag_document(&tokens), model.tag_document(&tokens));
    }

    #[test]
    fn the_built_in_model_round_trips() {
        let model = NerModel::built_in().expect("the built-in model");
        assert!(
            model.typer.is_some(),
            "the committed model has a span typer"
        );
        let loaded = decode(&encode(&model).expect("encodes")).expect("decodes");
        assert_eq!(loaded.typer, model.typer);
        assert!(decode(&encode(&model).expect("encodes")[..100]).is_err());
    }
}
