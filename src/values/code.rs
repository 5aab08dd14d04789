//! The 医療機関コード (10 digits: prefecture 2, fee schedule 1, facility 7) as people and
//! spreadsheets write it, and the key a facility is counted under.

use std::fmt;

/// Digits of a 医療機関コード.
pub const CODE_DIGITS: usize = 10;

/// A 医療機関コード made canonical: 10 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FacilityCode {
    /// The 10 digits.
    pub code: String,
    /// The text had 9 digits and its leading 0 was put back (Excel drops the 0 of the
    /// prefectures 01–09 when it reads a code as a number): the caller says so.
    pub padded: bool,
}

/// Why a text is not a 医療機関コード.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Nothing but spaces or hyphens.
    Empty,
    /// A character other than a digit, a hyphen or a space.
    NotDigit { text: String, found: char },
    /// Digits only, but not 9 or 10 of them.
    Length { text: String, digits: usize },
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::Empty => f.write_str("医療機関コードが空です"),
            CodeError::NotDigit { text, found } => write!(
                f,
                "医療機関コード「{text}」に数字ではない文字「{found}」があります（都道府県2桁＋点数表1桁＋7桁の10桁の数字で書きます）"
            ),
            CodeError::Length { text, digits } => write!(
                f,
                "医療機関コード「{text}」は{digits}桁です（都道府県2桁＋点数表1桁＋7桁の10桁の数字で書きます）"
            ),
        }
    }
}

/// Whether a character separates the groups of a code: a space of any width or a hyphen,
/// dash, minus or long-vowel mark (what a keyboard or a font turns `-` into).
fn separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'
                | '\u{2011}'
                | '\u{2012}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2015}'
                | '\u{2212}'
                | '\u{30FC}'
                | '\u{FF70}'
                | '\u{FF0D}'
                | '\u{FE63}'
                | '\u{FE58}'
        )
}

/// An ASCII digit for a half- or full-width digit.
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// Reads a 医療機関コード: full-width digits made ASCII, spaces and hyphens of every form
/// removed; 10 digits are the code, 9 digits get their leading 0 back (`padded`).
pub fn parse_facility_code(text: &str) -> Result<FacilityCode, CodeError> {
    let mut code = String::with_capacity(CODE_DIGITS);
    for c in text.chars().filter(|c| !separator(*c)) {
        match digit(c) {
            Some(d) => code.push(d),
            None => return Err(CodeError::NotDigit { text: text.trim().to_string(), found: c }),
        }
    }
    match code.len() {
        0 => Err(CodeError::Empty),
        CODE_DIGITS => Ok(FacilityCode { code, padded: false }),
        n if n == CODE_DIGITS - 1 => Ok(FacilityCode { code: format!("0{code}"), padded: true }),
        digits => Err(CodeError::Length { text: text.trim().to_string(), digits }),
    }
}

/// The code a case stores for what was typed: the 10 digits where the text is a 10-digit code
/// written with full-width digits, hyphens or spaces; otherwise the text as it is (a 9-digit
/// code is not completed here: `kensa check` asks the inspector to correct it).
pub fn stored_code(text: &str) -> String {
    match parse_facility_code(text) {
        Ok(c) if !c.padded => c.code,
        _ => text.to_string(),
    }
}

/// The key a facility is counted under: its 医療機関コード where it has one that reads as a
/// code (a 9-digit one completed), else the case's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Identity {
    Code(String),
    Case(String),
}

impl Identity {
    /// The code or the case id.
    pub fn as_str(&self) -> &str {
        match self {
            Identity::Code(s) | Identity::Case(s) => s,
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::Code(c) => write!(f, "医療機関コード {c}"),
            Identity::Case(id) => write!(f, "事案ID {id}"),
        }
    }
}

/// The identity of a facility from its recorded code and its case's id.
pub fn identity(code: &str, case_id: &str) -> Identity {
    match parse_facility_code(code) {
        Ok(c) => Identity::Code(c.code),
        Err(_) => Identity::Case(case_id.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> (String, bool) {
        let c = parse_facility_code(s).unwrap();
        (c.code, c.padded)
    }

    #[test]
    fn full_width_digits_hyphens_and_spaces_are_removed() {
        assert_eq!(ok("1312345678"), ("1312345678".into(), false));
        assert_eq!(ok("１３１２３４５６７８"), ("1312345678".into(), false));
        assert_eq!(ok(" 13-1-234567 8 "), ("1312345678".into(), false));
        for dash in ["‐", "‑", "‒", "–", "—", "―", "−", "ー", "ｰ", "－", "﹣"] {
            assert_eq!(ok(&format!("13{dash}1{dash}2345678")), ("1312345678".into(), false), "{dash}");
        }
        assert_eq!(ok("１３　１２３４５６７８"), ("1312345678".into(), false));
    }

    #[test]
    fn nine_digits_get_their_leading_zero_back() {
        assert_eq!(ok("112345678"), ("0112345678".into(), true));
        assert_eq!(ok("１１２３４５６７８"), ("0112345678".into(), true));
    }

    #[test]
    fn other_texts_are_errors_naming_what_is_wrong() {
        assert_eq!(parse_facility_code(" - "), Err(CodeError::Empty));
        let e = parse_facility_code("13123").unwrap_err();
        assert_eq!(e, CodeError::Length { text: "13123".into(), digits: 5 });
        assert!(e.to_string().contains("「13123」は5桁です"), "{e}");
        let e = parse_facility_code("13A2345678").unwrap_err();
        assert!(e.to_string().contains("数字ではない文字「A」"), "{e}");
        assert!(parse_facility_code("13123456789").unwrap_err().to_string().contains("11桁"));
    }

    #[test]
    fn a_case_stores_a_ten_digit_code_plainly_and_keeps_anything_else() {
        assert_eq!(stored_code("１３-１２３４-５６７８"), "1312345678");
        assert_eq!(stored_code("112345678"), "112345678");
        assert_eq!(stored_code("不明"), "不明");
        assert_eq!(stored_code(""), "");
    }

    #[test]
    fn a_facility_is_its_code_else_its_case() {
        assert_eq!(identity("13-1234-5678", "C-1"), Identity::Code("1312345678".into()));
        assert_eq!(identity("112345678", "C-1"), Identity::Code("0112345678".into()));
        assert_eq!(identity("", " C-1 "), Identity::Case("C-1".into()));
        assert_eq!(identity("123", "C-1"), Identity::Case("C-1".into()));
        assert_ne!(identity("", "1312345678"), identity("1312345678", "X"));
        assert_eq!(identity("", "C-1").to_string(), "事案ID C-1");
    }
}
