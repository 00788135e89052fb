// The "read" stage: one parser per input format. Each turns raw bytes into Articles and
// reports a bad record as an InputError naming file and line, never stopping the read.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "gazette/reader.h"

namespace gazette::indexer {

// One line of `input` (without its '\n' or a '\r' before it) in `line`, of which at
// most `cap` bytes are kept (0: no cap), so that a huge line costs no more memory than
// the cap. False at the end of input.
struct Line {
  std::uint64_t bytes = 0;  // The whole line's length, its '\n' included.
  bool cut = false;         // Longer than the cap: `line` holds its first `cap` bytes.
};
bool read_line(std::istream& input, std::string& line, std::size_t cap, Line& read);

// JSON Lines (docs/formats.md): one article object per line; blank lines are skipped.
void read_jsonl(std::istream& input, const std::string& file_name, const ReadOptions& options,
                const std::function<void(ReadItem&&)>& sink);

// SMART-format test-collection documents (".I id", ".T", ".A", ".B", ".W"), one
// article per record; ids as written.
void read_smart(std::istream& input, const std::string& file_name, const ReadOptions& options,
                const std::function<void(ReadItem&&)>& sink);

// Parses one plain-text article, cleaned (indexer/clean/scraped_text.h) unless
// options.clean is off; id = "txt-" + stable hash of `relative_path`. Throws InputError
// for binary content, invalid UTF-8 or a file with no text.
Article parse_text_article(std::string_view content, const std::string& file_name,
                           const std::string& relative_path, const ReadOptions& options,
                           std::optional<UnixSeconds> file_time = std::nullopt);

// Parses one HTML page (indexer/clean/html_page.h); id = "html-" + stable hash of the
// canonical URL when the page names one, else of `relative_path`. Throws InputError for
// binary content or a page with no text.
Article parse_html_article(std::string_view content, const std::string& file_name,
                           const std::string& relative_path, const ReadOptions& options,
                           std::optional<UnixSeconds> file_time = std::nullopt);

// Fills what `article` lacks from a cleaned page (its url, title, body, ...), keeping
// the page's provenance for the fields it gave.
namespace clean { struct CleanedPage; }
void fill_from_page(Article& article, clean::CleanedPage&& page);

// Fills the facets an article lacks from the reader options, recording where each came
// from in the article's provenance when `record` is set.
void apply_defaults(Article& article, const ReadOptions& options, bool record = false);

// Dates a file-based article that found no date in its content (nor a --date) with the
// file's modification time, when options.date_from_file_time asks for it; marked so.
void date_from_file(Article& article, const ReadOptions& options, std::optional<UnixSeconds> file_time);

// Dates an undated record from the day in its `url` (/2015/03/18/ and kin), marked
// as such.
void date_from_url(Article& article);

// 64-bit FNV-1a, stable across runs and platforms, as 16 hex digits.
std::string stable_hash(std::string_view text);

// The "source" field of a file's article: its path as a JSON string. A file name is
// bytes, not always UTF-8 ("caf\xE9.txt" from a Latin-1 system): bytes that are not
// UTF-8 show as U+FFFD, as a terminal shows them; the id still hashes the true bytes.
std::string source_field(const std::string& relative_path);

}  // namespace gazette::indexer
