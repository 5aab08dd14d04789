//! Conventions shared by every workbook kensa writes: Japanese font, widths that fit
//! Japanese text, 和暦 date formats, and text that is always written as text. [`read`] is the
//! guarded reader of untrusted workbooks.

pub mod read;

use crate::text::width;
use crate::values::{Date, Stamp};
use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet,
    XlsxError,
};

/// Font used in every workbook (present on Japanese Windows and macOS; others substitute).
pub const FONT: &str = "游ゴシック";
pub const FONT_SIZE: f64 = 10.5;
/// Dates shown in 和暦, the cell staying a real date. The locale is the LCID `[$-411]`, which
/// both Excel and LibreOffice read (LibreOffice shows a bare number for `[$-ja-JP-x-gannen]`);
/// a conditional section writes 令和元年 for 2019-05-01 … 2019-12-31 (serials 43586 … 43830),
/// where `ggge` alone would give 令和1年.
pub const WAREKI_DATE: &str = concat!(
    "[>=43831][$-411]ggge\"年\"m\"月\"d\"日\";",
    "[>=43586][$-411]\"令和元年\"m\"月\"d\"日\";",
    "[$-411]ggge\"年\"m\"月\"d\"日\""
);
pub const WAREKI_DATETIME: &str = concat!(
    "[>=43831][$-411]ggge\"年\"m\"月\"d\"日\" hh:mm;",
    "[>=43586][$-411]\"令和元年\"m\"月\"d\"日\" hh:mm;",
    "[$-411]ggge\"年\"m\"月\"d\"日\" hh:mm"
);
pub const ISO_DATE: &str = "yyyy-mm-dd";
pub const ISO_DATETIME: &str = "yyyy-mm-dd hh:mm";
/// Longest text a cell holds (Excel's limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// The base cell format: Japanese font, wrapped, top-aligned.
pub fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(FONT_SIZE).set_text_wrap().set_align(FormatAlign::Top)
}

/// A bordered header cell.
pub fn header() -> Format {
    base()
        .set_bold()
        .set_background_color("#D9E1F2")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// A bordered body cell.
pub fn cell() -> Format {
    base().set_border(FormatBorder::Thin)
}

/// A bordered date cell in 和暦 (or ISO with `iso`).
pub fn date_cell(iso: bool) -> Format {
    cell().set_num_format(if iso { ISO_DATE } else { WAREKI_DATE }).set_align(FormatAlign::Left)
}

/// A bordered date-time cell.
pub fn datetime_cell(iso: bool) -> Format {
    cell().set_num_format(if iso { ISO_DATETIME } else { WAREKI_DATETIME }).set_align(FormatAlign::Left)
}

/// Excel column width (in characters of the default font) that fits `texts`: full-width
/// characters count as two, clamped to `min..=max`.
pub fn fit_width<'a>(texts: impl IntoIterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let w = texts.into_iter().flat_map(|t| t.lines()).map(width).max().unwrap_or(0) as f64;
    (w * 1.1 + 2.0).clamp(min, max)
}

/// Row height (points) that shows every line of wrapped text in the given column widths.
pub fn row_height(cells: &[(String, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(s, w)| {
            let per_line = ((w - 1.0).max(4.0)) as usize;
            s.lines().map(|l| width(l).div_ceil(per_line).max(1)).sum::<usize>().max(1)
        })
        .max()
        .unwrap_or(1);
    (lines as f64 * 14.5 + 4.0).clamp(18.0, 409.0)
}

/// Text safe for a cell: control characters dropped, cut at Excel's limit.
pub fn clean(s: &str) -> String {
    // Most text has nothing to drop: it is copied as it is, without a look at each character.
    // (A control character is a byte below 0x20 or 0x7F, or U+0080–U+009F, whose UTF-8 begins
    // with 0xC2; a text with 0xC2 takes the slow way, which keeps what is not a control.)
    let plain = s.len() <= MAX_CELL_CHARS
        && !s.bytes().any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2);
    if plain {
        return s.to_string();
    }
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').take(MAX_CELL_CHARS).collect()
}

/// Writes user text as a string cell: never a formula, whatever it starts with.
pub fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, fmt: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, clean(s), fmt)?;
    Ok(())
}

/// [`text`] without a format of its own: the cell takes its column's (no format is looked up
/// per cell, which counts where a sheet has hundreds of thousands of cells).
pub fn text_in_column_format(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    ws.write_string(row, col, clean(s))?;
    Ok(())
}

/// Colours the cells of a range by their value: one conditional format per value, so that the
/// colour follows the value when a user edits it.
pub fn colour_by_value<'a>(
    ws: &mut Worksheet,
    (first_row, first_col): (u32, u16),
    (last_row, last_col): (u32, u16),
    rules: impl IntoIterator<Item = (&'a str, Format)>,
) -> Result<(), XlsxError> {
    for (value, format) in rules {
        let rule = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::EqualTo(value)).set_format(format);
        ws.add_conditional_format(first_row, first_col, last_row, last_col, &rule)?;
    }
    Ok(())
}

pub fn excel_date(d: Date) -> ExcelDateTime {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.0.year() as u16, d.0.month() as u8, d.0.day() as u8)
        .unwrap_or_else(|_| ExcelDateTime::from_ymd(1900, 1, 1).expect("valid"))
}

pub fn excel_stamp(s: Stamp) -> ExcelDateTime {
    use chrono::Timelike;
    let d = excel_date(Date(s.date));
    match s.time {
        Some(t) => d.clone().and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64).unwrap_or(d),
        None => d,
    }
}

/// Writes an optional date: a real date cell, or an empty bordered cell.
pub fn date(ws: &mut Worksheet, row: u32, col: u16, d: Option<Date>, iso: bool) -> Result<(), XlsxError> {
    match d {
        Some(d) => ws.write_datetime_with_format(row, col, excel_date(d), &date_cell(iso))?,
        None => ws.write_blank(row, col, &date_cell(iso))?,
    };
    Ok(())
}

/// Writes an optional date-time stamp (date format where the time is unknown).
pub fn stamp(ws: &mut Worksheet, row: u32, col: u16, s: Option<Stamp>, iso: bool) -> Result<(), XlsxError> {
    match s {
        Some(s) if s.time.is_some() => ws.write_datetime_with_format(row, col, excel_stamp(s), &datetime_cell(iso))?,
        Some(s) => ws.write_datetime_with_format(row, col, excel_stamp(s), &date_cell(iso))?,
        None => ws.write_blank(row, col, &date_cell(iso))?,
    };
    Ok(())
}

/// A4 portrait or landscape, fit to page width, header rows repeated, page numbers in the footer.
pub fn print_setup(
    ws: &mut Worksheet,
    landscape: bool,
    repeat_to_row: Option<u32>,
    title: &str,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    if let Some(r) = repeat_to_row {
        ws.set_repeat_rows(0, r)?;
    }
    let title: String = clean(title).replace('&', "&&").chars().take(80).collect();
    ws.set_header(format!("&L&\"{FONT}\"&9{title}"));
    ws.set_footer("&C&P / &N ページ");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fit_japanese() {
        let w = fit_width(["医療情報システム安全管理責任者"], 8.0, 80.0);
        assert!(w >= 30.0, "{w}");
        assert_eq!(fit_width([""], 8.0, 80.0), 8.0);
        assert_eq!(fit_width(["x".repeat(500).as_str()], 8.0, 80.0), 80.0);
    }

    #[test]
    fn row_heights_follow_wrapped_lines() {
        assert!(row_height(&[("あ".repeat(100), 20.0)]) > row_height(&[("あ".into(), 20.0)]));
        assert!(row_height(&[("a\nb\nc".into(), 40.0)]) >= 3.0 * 14.5);
        assert_eq!(row_height(&[]), 18.5);
    }

    #[test]
    fn clean_drops_controls_and_limits() {
        assert_eq!(clean("a\u{0}b\nc"), "ab\nc");
        assert_eq!(clean("a\u{7f}b\u{85}c\u{9f}d\te"), "abcd\te");
        assert_eq!(clean("¥100　Ａ"), "¥100　Ａ");
        assert_eq!(clean(&"a".repeat(40_000)).len(), MAX_CELL_CHARS);
        assert_eq!(clean(&"あ".repeat(40_000)).chars().count(), MAX_CELL_CHARS);
    }
}
