//! Why a workbook cannot be read: each reason with its Japanese message.

use crate::text::thousands;
use std::fmt;

/// A workbook kensa cannot read, or will not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkbookProblem {
    Folder,
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// An OLE compound file: a password-protected workbook or an old .xls.
    Encrypted,
    /// Not a zip file at all (a renamed file of another kind).
    NotXlsx,
    /// A zip file that is not a readable workbook (an .ods or another zip renamed, or a damaged
    /// workbook); `detail` is what the reader said, in English.
    Corrupt {
        detail: String,
    },
    /// Parts that would unpack to more than the limit (a "zip bomb").
    Unpacked {
        size: u64,
        limit: u64,
    },
    SheetUnreadable {
        sheet: String,
        detail: String,
    },
    SheetTooLarge {
        sheet: String,
        rows: u64,
        cols: u64,
        max_rows: u64,
        max_cols: u64,
    },
    TooManyCells {
        sheet: String,
        limit: usize,
    },
    /// A workbook without kensa's hidden sheet (named `sheet`).
    NotKensa {
        sheet: &'static str,
    },
    MetaBroken {
        sheet: &'static str,
        detail: String,
    },
    FormatVersion {
        found: String,
        supported: &'static str,
    },
    OtherCase {
        workbook: String,
        case: String,
    },
    UnknownChecklist {
        id: String,
        edition: String,
        known: Vec<String>,
    },
    EditionMismatch {
        id: String,
        workbook: String,
        kensa: String,
    },
    SheetMissing {
        sheet: String,
    },
    NoHeader {
        sheet: String,
    },
}

impl WorkbookProblem {
    /// Whether the file is a workbook of some other program (not an error when collecting).
    pub fn is_foreign(&self) -> bool {
        matches!(self, WorkbookProblem::NotKensa { .. })
    }
}

impl fmt::Display for WorkbookProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use WorkbookProblem::*;
        match self {
            Folder => f.write_str("フォルダです。記入済みのワークブック（.xlsx）を指定してください"),
            TooLarge { size, limit } => write!(
                f,
                "ファイルが大きすぎます（{} バイト。上限は {} バイト）。kensa workbook で作成したワークブックを指定してください",
                thousands(*size),
                thousands(*limit)
            ),
            Encrypted => f.write_str("パスワードで保護（暗号化）されたブック、または古い形式（.xls）のブックです。Excel でパスワードを解除し、「Excel ブック（*.xlsx）」として保存し直してから取り込んでください"),
            NotXlsx => f.write_str("Excel ブック（.xlsx）ではありません。kensa workbook で作成し、記入して保存したファイルを指定してください"),
            Corrupt { detail } => write!(f, "Excel ブック（.xlsx）ではないか壊れているため、ワークブックとして読めません。LibreOffice などの .ods や、拡張子だけを .xlsx に変えた別の形式のファイル（zip など）は読めません。Excel で開き「Excel ブック（*.xlsx）」として保存し直してください{}", super::detail(detail)),
            Unpacked { size, limit } => write!(
                f,
                "ワークブックを展開すると大きすぎます（{} バイト。上限は {} バイト）",
                thousands(*size),
                thousands(*limit)
            ),
            SheetUnreadable { sheet, detail } => write!(f, "シート「{sheet}」を読めません（壊れているか、読めない形式です）。Excel で開き「Excel ブック（*.xlsx）」として保存し直してください{}", super::detail(detail)),
            SheetTooLarge { sheet, rows, cols, max_rows, max_cols } => write!(
                f,
                "シート「{sheet}」の大きさ（{} 行 × {cols} 列）が上限（{} 行・{max_cols} 列）を超えるため読みません。不要な行・列を削除して保存し直してください",
                thousands(*rows),
                thousands(*max_rows)
            ),
            TooManyCells { sheet, limit } => write!(f, "シート「{sheet}」のセルが多すぎます（上限 {limit} 個）"),
            NotKensa { sheet } => write!(f, "kensa が作成したワークブックではありません（隠しシート「{sheet}」がありません）。kensa workbook で作成したワークブックに記入してください"),
            MetaBroken { sheet, detail } => write!(f, "隠しシート「{sheet}」が壊れています（{detail}）。kensa workbook で作成し直してください"),
            FormatVersion { found, supported } => write!(f, "このワークブックの形式（版 {found}）には対応していません（この kensa は版 {supported}）"),
            OtherCase { workbook, case } => write!(f, "このワークブックは事案「{workbook}」のものです。取り込み先の事案は「{case}」です。別の事案のワークブックは取り込めません"),
            UnknownChecklist { id, edition, known } => write!(f, "ワークブックのチェックリスト「{id}」（{edition}）は kensa にありません（使えるもの: {}）", known.join("、")),
            EditionMismatch { id, workbook, kensa } => write!(f, "ワークブックのチェックリスト「{id}」は「{workbook}」ですが、kensa のチェックリストは「{kensa}」です。別の版のチェックリストで作成したワークブックは取り込めません。kensa workbook で作成し直してください"),
            SheetMissing { sheet } => write!(f, "シート「{sheet}」がありません（削除または名前の変更をしないでください）"),
            NoHeader { sheet } => write!(f, "シート「{sheet}」に見出し行がありません（kensa workbook で作成し直してください）"),
        }
    }
}
