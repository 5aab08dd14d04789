//! The tables of a summary, in one model that summary.xlsx, summary.md and summary.html all
//! render: cells that know what they count (a number of facilities, a rate with its numerator
//! and denominator, a change in points), and the suppression of the 公表用 edition (cells from 1
//! or 2 facilities, and the cells they could be recovered from, shown x; denominators under 10
//! marked *).

/// Symbols of Japanese official statistics, with their legend.
pub const NONE: &str = "－";
pub const UNKNOWN: &str = "…";
pub const SECRET: &str = "x";
pub const SMALL: &str = "*";
pub const LEGEND: &str = "記号: 「－」該当なし（0）、「…」不明、「x」秘匿（1又は2の施設から算出される数値と、そこから差し引きで算出できる数値）、「*」分母が10未満";
pub const ROUNDING: &str = "率は小数第2位を四捨五入しています。このため内訳の計が合計と一致しない場合があります。";
/// Denominators below this are marked [`SMALL`].
pub const SMALL_DENOMINATOR: u64 = 10;

/// A cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number of facilities (or of records).
    Count(u64),
    /// A number that says nothing of any facility (files read): never hidden.
    Number(u64),
    /// A rate: numerator ÷ denominator. `from` counts the facilities behind the numerator and
    /// behind the rest of the denominator (for suppression).
    Rate {
        num: u64,
        den: u64,
        from_num: u64,
        from_rest: u64,
        den_facilities: u64,
    },
    /// A change in percentage points, in tenths (`+12` is +1.2 ポイント).
    Points(Option<i64>),
    /// A number of days (`None`: not known).
    Days(Option<i64>),
    Date(Option<chrono::NaiveDate>),
    /// Hidden in the 公表用 edition.
    Secret,
}

impl Cell {
    /// A rate of facilities: `num` of `den` facilities.
    pub fn rate(num: u64, den: u64) -> Cell {
        Cell::Rate { num, den, from_num: num, from_rest: den - num.min(den), den_facilities: den }
    }

    /// The rate in tenths of a percent, rounded half up (`None` without a denominator).
    pub fn tenths(num: u64, den: u64) -> Option<u64> {
        (den > 0).then(|| (num * 2000 + den) / (2 * den))
    }

    /// The text shown (Markdown, HTML, and text cells of the workbook).
    pub fn show(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(0) => NONE.into(),
            Cell::Count(n) | Cell::Number(n) => crate::text::thousands(*n),
            Cell::Rate { num, den, den_facilities, .. } => match Cell::tenths(*num, *den) {
                None => NONE.into(),
                Some(t) => {
                    let small = if *den_facilities < SMALL_DENOMINATOR { SMALL } else { "" };
                    format!("{}.{}{small}", t / 10, t % 10)
                }
            },
            Cell::Points(None) => UNKNOWN.into(),
            Cell::Points(Some(p)) => {
                let sign = if *p > 0 {
                    "+"
                } else if *p < 0 {
                    "△"
                } else {
                    "±"
                };
                format!("{sign}{}.{}", p.abs() / 10, p.abs() % 10)
            }
            Cell::Days(None) => UNKNOWN.into(),
            Cell::Days(Some(d)) => d.to_string(),
            Cell::Date(None) => UNKNOWN.into(),
            Cell::Date(Some(d)) => crate::wareki::format(*d),
            Cell::Secret => SECRET.into(),
        }
    }

    /// Whether the cell is a number (right-aligned).
    pub fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Date(_))
    }
}

/// A row: its cells and how many facilities it is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// Facilities the row is computed from (a row from 1 or 2 is hidden whole in 公表用).
    pub facilities: u64,
    /// The total row of the table (the other rows add up to it).
    pub total: bool,
}

impl Row {
    pub fn new(cells: Vec<Cell>, facilities: u64) -> Row {
        Row { cells, facilities, total: false }
    }
}

/// Columns of a row that add up to another column of the same row.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    pub parts: Vec<usize>,
    pub total: usize,
}

/// A table of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Sheet name in summary.xlsx (31 characters at most).
    pub sheet: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Notes printed under the table (formulas, denominators, footnotes).
    pub notes: Vec<String>,
    /// Column sums within a row.
    pub parts: Vec<Parts>,
    /// Whether the non-total rows add up to the total row, column by column.
    pub rows_add_up: bool,
    /// Whether the table lists one facility per row (dropped from 公表用).
    pub per_facility: bool,
    /// Columns computed from others in the same row (a rate from its counts): hidden with them.
    /// Without any, a rate or change in a row with a hidden cell is hidden.
    pub derived: Vec<(usize, Vec<usize>)>,
    /// Columns whose text comes from case or roster data (a group's name): checked against the
    /// closed vocabularies before a 公表用 edition is written.
    pub data_labels: Vec<usize>,
}

impl Table {
    pub fn new(sheet: &str, title: impl Into<String>, headers: &[&str]) -> Table {
        Table {
            sheet: sheet.into(),
            title: title.into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
            parts: Vec::new(),
            rows_add_up: false,
            per_facility: false,
            derived: Vec::new(),
            data_labels: Vec::new(),
        }
    }

    /// Applies the suppression of the 公表用 edition to this table alone (see [`suppress_release`]
    /// for the tables of a release together).
    pub fn suppress(&mut self) {
        suppress_release(std::slice::from_mut(self), &Links::default());
    }

    /// Hides every number of a row (its labels stay).
    pub fn hide_row(&mut self, r: usize) {
        if let Some(row) = self.rows.get_mut(r) {
            for c in &mut row.cells {
                if !matches!(c, Cell::Text(_)) {
                    *c = Cell::Secret;
                }
            }
        }
    }

    /// Primary suppression: every cell from 1 or 2 facilities; a rate from fewer than
    /// [`SMALL_DENOMINATOR`] facilities that is 0 % or 100 % (it says that every one of them
    /// failed or met).
    fn primary(&mut self) {
        let small = |n: u64| n == 1 || n == 2;
        for row in &mut self.rows {
            let whole = small(row.facilities);
            for c in &mut row.cells {
                let hide = match c {
                    Cell::Count(n) => whole || small(*n),
                    Cell::Rate { num, den, from_num, from_rest, den_facilities } => {
                        let all_or_none =
                            *den > 0 && (*num == 0 || *num == *den) && *den_facilities < SMALL_DENOMINATOR;
                        whole || small(*from_num) || small(*from_rest) || small(*den_facilities) || all_or_none
                    }
                    Cell::Points(_) | Cell::Days(_) | Cell::Date(_) => whole,
                    Cell::Text(_) | Cell::Number(_) | Cell::Secret => false,
                };
                if hide {
                    *c = Cell::Secret;
                }
            }
        }
    }

    /// The relations of this table's cells that add up: each part of a sum with its total
    /// (coefficients 1 and −1). Where rows add up, the total row is the one marked, else the
    /// first.
    fn sums(&self) -> Vec<Vec<((usize, usize), i64)>> {
        let mut out = Vec::new();
        for r in 0..self.rows.len() {
            for p in &self.parts {
                let mut members: Vec<((usize, usize), i64)> = p.parts.iter().map(|c| ((r, *c), 1)).collect();
                members.push(((r, p.total), -1));
                out.push(members);
            }
        }
        if self.rows_add_up && self.rows.len() > 1 {
            let total = self.rows.iter().position(|r| r.total).unwrap_or(0);
            for c in 0..self.headers.len() {
                out.push((0..self.rows.len()).map(|r| ((r, c), if r == total { -1 } else { 1 })).collect());
            }
        }
        out
    }

    /// Hides every rate or change computed from a hidden count (it could give it back).
    fn hide_derived(&mut self) {
        for row in &mut self.rows {
            if self.derived.is_empty() {
                if row.cells.contains(&Cell::Secret) {
                    for c in &mut row.cells {
                        if matches!(c, Cell::Rate { .. } | Cell::Points(_)) {
                            *c = Cell::Secret;
                        }
                    }
                }
                continue;
            }
            for (col, from) in &self.derived {
                if from.iter().any(|f| row.cells.get(*f) == Some(&Cell::Secret)) {
                    if let Some(c) = row.cells.get_mut(*col) {
                        *c = Cell::Secret;
                    }
                }
            }
        }
    }
}

/// A cell of a release: (table, row, column).
pub type At = (usize, usize, usize);

/// What ties the tables of a release together, beyond each table's own sums.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    /// Cells of different tables that hold the same number: hidden in all where hidden in one.
    pub same: Vec<Vec<At>>,
    /// Cells across tables whose sum with these coefficients is zero (a total in one table and
    /// its parts in others, two partitions of one group): no single one of them is left hidden
    /// alone, and no hidden one is determined by them with the rest of the release.
    pub sums: Vec<Vec<(At, i64)>>,
}

fn cell(tables: &[Table], (t, r, c): At) -> Option<&Cell> {
    tables.get(t).and_then(|t| t.rows.get(r)).and_then(|row| row.cells.get(c))
}

/// Where exactly one of cells that add up is hidden, hides the smallest other count that is not
/// zero. Returns whether it hid one.
fn complete(tables: &mut [Table], members: &[At]) -> bool {
    let hidden = members.iter().filter(|m| cell(tables, **m) == Some(&Cell::Secret)).count();
    if hidden != 1 {
        return false;
    }
    let candidate = members
        .iter()
        .filter_map(|m| match cell(tables, *m) {
            Some(Cell::Count(n)) if *n > 0 => Some((*n, *m)),
            _ => None,
        })
        .min();
    match candidate {
        Some((_, (t, r, c))) => {
            tables[t].rows[r].cells[c] = Cell::Secret;
            true
        }
        None => false,
    }
}

/// The suppression of the 公表用 edition over every table of a release together: primary (every
/// cell from 1 or 2 facilities, and 0 % or 100 % of a small group), then complementary until
/// nothing changes — in each table's sums (parts of a row, rows that add up to the total row),
/// across tables (`links.sums`), and a number hidden in one table hidden wherever it is shown
/// (`links.same`) — then every rate whose counts are hidden.
pub fn suppress_release(tables: &mut [Table], links: &Links) {
    // The cells that are counts: the only ones a sum holds (a rate or a label beside them is not).
    let counts: std::collections::HashSet<At> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| {
            table.rows.iter().enumerate().flat_map(move |(r, row)| {
                row.cells.iter().enumerate().filter(|(_, c)| matches!(c, Cell::Count(_))).map(move |(c, _)| (t, r, c))
            })
        })
        .collect();
    for t in tables.iter_mut() {
        t.primary();
    }
    // Every relation of the release, over counts only.
    let mut relations: Vec<Vec<(At, i64)>> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for members in table.sums() {
            let at: Vec<(At, i64)> = members.into_iter().map(|((r, c), k)| ((t, r, c), k)).collect();
            if at.iter().all(|(a, _)| counts.contains(a)) && at.len() > 1 {
                relations.push(at);
            }
        }
    }
    for group in &links.same {
        for pair in group.windows(2) {
            if counts.contains(&pair[0]) && counts.contains(&pair[1]) {
                relations.push(vec![(pair[0], 1), (pair[1], -1)]);
            }
        }
    }
    for members in &links.sums {
        if members.iter().all(|(a, _)| counts.contains(a)) && members.len() > 1 {
            relations.push(members.clone());
        }
    }
    loop {
        // No relation with a single hidden cell (a number hidden in one table hidden in all).
        loop {
            let mut changed = false;
            for group in &links.same {
                if group.iter().any(|m| cell(tables, *m) == Some(&Cell::Secret)) {
                    for &(t, r, c) in group {
                        let x = tables.get_mut(t).and_then(|t| t.rows.get_mut(r)).and_then(|row| row.cells.get_mut(c));
                        if let Some(x) = x.filter(|x| matches!(x, Cell::Count(_))) {
                            *x = Cell::Secret;
                            changed = true;
                        }
                    }
                }
            }
            for rel in &relations {
                let members: Vec<At> = rel.iter().map(|(a, _)| *a).collect();
                changed |= complete(tables, &members);
            }
            if !changed {
                break;
            }
        }
        // Then no hidden count the relations of the whole release determine: hide the smallest
        // count shown beside it, until none is.
        let found = determined(tables, &relations);
        let mut hid = false;
        for at in found {
            let beside = relations
                .iter()
                .filter(|rel| rel.iter().any(|(a, _)| *a == at))
                .flat_map(|rel| rel.iter())
                .filter_map(|(a, _)| match cell(tables, *a) {
                    Some(Cell::Count(n)) if *n > 0 => Some((*n, *a)),
                    _ => None,
                })
                .min();
            if let Some((_, (t, r, c))) = beside {
                tables[t].rows[r].cells[c] = Cell::Secret;
                hid = true;
            }
        }
        if !hid {
            break;
        }
    }
    for t in tables.iter_mut() {
        t.hide_derived();
    }
}

/// The hidden counts that the relations determine, whatever the other hidden counts are: those
/// whose unit vector lies in the row space of the relations over the hidden cells (reduced row
/// echelon form: a pivot row with no other entry).
pub fn determined(tables: &[Table], relations: &[Vec<(At, i64)>]) -> Vec<At> {
    let mut index: std::collections::BTreeMap<At, usize> = std::collections::BTreeMap::new();
    for rel in relations {
        for (a, _) in rel {
            if cell(tables, *a) == Some(&Cell::Secret) {
                let n = index.len();
                index.entry(*a).or_insert(n);
            }
        }
    }
    let width = index.len();
    if width == 0 {
        return Vec::new();
    }
    let mut rows: Vec<Vec<f64>> = relations
        .iter()
        .filter_map(|rel| {
            let mut v = vec![0.0; width];
            for (a, k) in rel {
                if let Some(&j) = index.get(a) {
                    v[j] += *k as f64;
                }
            }
            v.iter().any(|x| *x != 0.0).then_some(v)
        })
        .collect();
    const EPS: f64 = 1e-9;
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut r = 0;
    for col in 0..width {
        let Some(p) = (r..rows.len()).max_by(|a, b| rows[*a][col].abs().total_cmp(&rows[*b][col].abs())) else { break };
        if rows[p][col].abs() < EPS {
            continue;
        }
        rows.swap(r, p);
        let lead = rows[r][col];
        for x in &mut rows[r] {
            *x /= lead;
        }
        let pivot = rows[r].clone();
        for (i, row) in rows.iter_mut().enumerate() {
            if i != r && row[col].abs() >= EPS {
                let f = row[col];
                for (x, p) in row.iter_mut().zip(&pivot) {
                    *x -= f * p;
                }
            }
        }
        pivots.push((r, col));
        r += 1;
        if r == rows.len() {
            break;
        }
    }
    let by_column: Vec<At> = {
        let mut v = vec![(0, 0, 0); width];
        for (a, j) in &index {
            v[*j] = *a;
        }
        v
    };
    pivots
        .into_iter()
        .filter(|(r, col)| rows[*r].iter().enumerate().all(|(j, x)| j == *col || x.abs() < EPS))
        .map(|(_, col)| by_column[col])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_to_one_decimal() {
        assert_eq!(Cell::rate(1, 3).show(), "33.3*");
        assert_eq!(Cell::rate(2, 3).show(), "66.7*");
        assert_eq!(Cell::rate(1, 8).show(), "12.5*");
        assert_eq!(Cell::rate(10, 16).show(), "62.5");
        assert_eq!(Cell::rate(0, 0).show(), NONE);
        assert_eq!(Cell::rate(45, 45).show(), "100.0");
        assert_eq!(Cell::Points(Some(-25)).show(), "△2.5");
        assert_eq!(Cell::Points(Some(13)).show(), "+1.3");
    }

    fn table(rows: Vec<Vec<u64>>) -> Table {
        let mut t = Table::new("t", "t", &["a", "b", "c", "計"]);
        for r in rows {
            let total = r.iter().sum::<u64>();
            let mut cells: Vec<Cell> = r.into_iter().map(Cell::Count).collect();
            cells.push(Cell::Count(total));
            t.rows.push(Row::new(cells, total));
        }
        t.parts.push(Parts { parts: vec![0, 1, 2], total: 3 });
        t
    }

    #[test]
    fn small_cells_and_their_complements_are_hidden() {
        let mut t = table(vec![vec![10, 2, 30]]);
        t.suppress();
        let shown: Vec<String> = t.rows[0].cells.iter().map(Cell::show).collect();
        assert_eq!(shown, vec!["x", "x", "30", "42"], "the 2 and the next smallest part are hidden");
    }

    #[test]
    fn columns_are_completed_where_rows_add_up() {
        let mut t = table(vec![vec![2, 20, 30], vec![5, 20, 30], vec![7, 40, 60]]);
        t.rows[2].total = true;
        t.rows_add_up = true;
        t.suppress();
        let col0: Vec<String> = t.rows.iter().map(|r| r.cells[0].show()).collect();
        assert_eq!(col0[0], "x");
        assert!(col0[1] == "x" || col0[2] == "x", "a second cell of the column is hidden: {col0:?}");
        // Every row and column with a hidden cell has at least two.
        for r in &t.rows {
            let n = r.cells.iter().filter(|c| **c == Cell::Secret).count();
            assert!(n == 0 || n >= 2, "{:?}", r.cells);
        }
    }

    #[test]
    fn a_row_from_two_facilities_is_hidden_whole() {
        let mut t = Table::new("t", "t", &["区分", "施設数", "適合率"]);
        t.rows.push(Row::new(vec![Cell::Text("助産所".into()), Cell::Count(2), Cell::rate(1, 2)], 2));
        t.suppress();
        assert_eq!(t.rows[0].cells[0].show(), "助産所");
        assert_eq!(t.rows[0].cells[1], Cell::Secret);
        assert_eq!(t.rows[0].cells[2], Cell::Secret);
    }

    /// A one-column table of groups adding up to 全体.
    fn groups(labels: &[(&str, u64)]) -> Table {
        let mut t = Table::new("区分別", "g", &["区分", "施設数"]);
        for (l, n) in labels {
            t.rows.push(Row::new(vec![Cell::Text(l.to_string()), Cell::Count(*n)], *n));
        }
        let total = labels.iter().map(|(_, n)| n).sum();
        t.rows
            .push(Row { cells: vec![Cell::Text("全体".into()), Cell::Count(total)], facilities: total, total: true });
        t.rows_add_up = true;
        t
    }

    #[test]
    fn a_band_of_one_hospital_is_not_given_back_by_the_kind_table() {
        // 病院 46 = 20〜99床 15 + 100〜199床 30 + 500床〜 1; the next smallest row is a clinic band.
        let kinds = groups(&[("病院", 46), ("一般診療所", 60)]);
        let bands = groups(&[
            ("病院 20〜99床", 15),
            ("病院 100〜199床", 30),
            ("病院 500床〜", 1),
            ("診療所（有床）", 8),
            ("診療所（無床）", 52),
        ]);
        let mut alone = [kinds.clone(), bands.clone()];
        suppress_release(&mut alone, &Links::default());
        let shown = |t: &Table, r: usize| alone_value(t, r);
        fn alone_value(t: &Table, r: usize) -> Option<u64> {
            match t.rows[r].cells[1] {
                Cell::Count(n) => Some(n),
                _ => None,
            }
        }
        // Table by table, 病院 minus the hospital bands shown gives the hidden one back.
        let known: u64 = (0..2).filter_map(|r| shown(&alone[1], r)).sum();
        assert_eq!(shown(&alone[0], 0), Some(46));
        assert_eq!(46 - known, 1, "the defect this guards against");
        let mut tables = [kinds, bands];
        let links = Links {
            same: vec![vec![(0, 2, 1), (1, 5, 1)]],
            sums: vec![
                vec![((0, 0, 1), 1), ((1, 0, 1), -1), ((1, 1, 1), -1), ((1, 2, 1), -1)],
                vec![((0, 1, 1), 1), ((1, 3, 1), -1), ((1, 4, 1), -1)],
            ],
        };
        suppress_release(&mut tables, &links);
        let mut relations: Vec<Vec<(At, i64)>> = links.sums.clone();
        for (t, table) in tables.iter().enumerate() {
            relations.push(
                table.rows.iter().enumerate().map(|(r, row)| ((t, r, 1), if row.total { -1 } else { 1 })).collect(),
            );
        }
        relations.push(vec![((0, 2, 1), 1), ((1, 5, 1), -1)]);
        assert_eq!(determined(&tables, &relations), Vec::<At>::new(), "{:?}", tables);
        assert_eq!(tables[1].rows[2].cells[1], Cell::Secret);
    }

    #[test]
    fn a_cell_pinned_by_equations_is_found() {
        // a + b = 5 and a − b = 1 (both hidden): a = 3, b = 2 are determined; c + d = 4 is not.
        let mut t = Table::new("t", "t", &["a", "b", "c", "d"]);
        t.rows.push(Row::new(vec![Cell::Secret, Cell::Secret, Cell::Secret, Cell::Secret], 10));
        let tables = [t];
        let rel = vec![
            vec![((0, 0, 0), 1), ((0, 0, 1), 1)],
            vec![((0, 0, 0), 1), ((0, 0, 1), -1)],
            vec![((0, 0, 2), 1), ((0, 0, 3), 1)],
        ];
        let mut found = determined(&tables, &rel);
        found.sort();
        assert_eq!(found, vec![(0, 0, 0), (0, 0, 1)]);
    }

    #[test]
    fn all_or_none_of_a_small_group_is_hidden() {
        let mut t = Table::new("t", "t", &["区分", "適合率"]);
        t.rows.push(Row::new(vec![Cell::Text("助産所".into()), Cell::rate(5, 5)], 5));
        t.rows.push(Row::new(vec![Cell::Text("病院".into()), Cell::rate(0, 6)], 6));
        t.rows.push(Row::new(vec![Cell::Text("診療所".into()), Cell::rate(12, 12)], 12));
        t.suppress();
        assert_eq!(t.rows[0].cells[1], Cell::Secret);
        assert_eq!(t.rows[1].cells[1], Cell::Secret);
        assert_eq!(t.rows[2].cells[1].show(), "100.0", "10 or more: a rate of a group");
    }

    #[test]
    fn a_rate_that_gives_back_a_small_count_is_hidden() {
        let mut t = Table::new("t", "t", &["項目", "適合率"]);
        t.rows.push(Row::new(vec![Cell::Text("1-①".into()), Cell::rate(99, 100)], 100));
        t.rows.push(Row::new(vec![Cell::Text("1-②".into()), Cell::rate(50, 100)], 100));
        t.suppress();
        assert_eq!(t.rows[0].cells[1], Cell::Secret, "99 of 100: the one facility that failed is recoverable");
        assert_eq!(t.rows[1].cells[1].show(), "50.0");
    }
}
