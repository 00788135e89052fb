// Reading articles from files: JSON Lines, plain-text files, directories of them, stdin.
// Bad records do not stop reading: each is reported as an InputError naming file and line.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gazette/article.h"
#include "gazette/errors.h"

namespace gazette {

enum class InputFormat {
  kAuto,   // By extension (after .gz/.zst): .jsonl/.ndjson/.json are JSON Lines,
           // .html/.htm are HTML pages, anything else is text.
  kJsonl,  // One JSON object per line (docs/formats.md).
  kText,   // Scraped plain text: title, outlet, date and body found in the text.
  kHtml,   // A web page: metadata and main text extracted.
  kSmart,  // SMART test-collection documents (".I", ".T", ".A", ".B", ".W"), many per file.
};

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;  // stdin ("-") is JSON Lines under kAuto.
  // Facet values for articles that carry none (their provenance says so: "--date
  // option"). An article with no date found stays undated: nothing is guessed.
  std::string default_outlet;
  std::optional<UnixSeconds> default_date;
  std::optional<int> default_date_offset;  // As the --date text wrote it.
  std::string default_lang;
  // Text files and pages that hold no date, and have no default_date, take the file's
  // modification time, marked as such (date_source "file-time"): only on request, as
  // the day a file was copied is seldom the day its article appeared.
  bool date_from_file_time = false;
  // The form of JSON Lines `date` values that are in none of the common ones
  // (strptime's: "%d/%m/%Y", "%d.%m.%Y %H:%M"); tried first.
  std::string date_format;
  // Clean text files and pages (drop placeholders, banners, comment threads; find
  // outlet and date). False: title = first line, body = the rest, as written.
  bool clean = true;
  // Directory walks: with include globs, only files matching one are read (any
  // extension); files matching an exclude glob never are. Globs match the path relative
  // to the directory and the file name ("*.html", "drafts/*"). Files named directly are
  // always read.
  std::vector<std::string> include_globs;
  std::vector<std::string> exclude_globs;
  // One article larger than this (a text or HTML file, a JSON Lines record) is skipped
  // with a warning; 0 means no cap.
  std::uint64_t max_article_bytes = 10 * 1024 * 1024;
};

// One record read: an article, or why the record was skipped.
struct ReadItem {
  ReadItem(std::variant<Article, InputError> read, std::uint64_t consumed, std::vector<InputError> problems = {})
      : result(std::move(read)), bytes(consumed), warnings(std::move(problems)) {}

  std::variant<Article, InputError> result;
  std::uint64_t bytes = 0;  // Input bytes this record consumed, for progress reports.
  // What was wrong with an article that is still read (a date that cannot be read:
  // the article is undated), naming file, line and field.
  std::vector<InputError> warnings;
};

// Reads every article from `inputs` (files, directories searched recursively for
// .txt/.text/.jsonl/.ndjson/.json/.html/.htm files, each possibly .gz or .zst, or "-"
// for stdin) in order, calling `sink` once per record. An input that cannot be read
// (missing, unreadable, corrupt compression, over the size cap, binary) is reported
// to `sink` as an InputError and reading goes on with the next.
void read_articles(const std::vector<std::string>& inputs, const ReadOptions& options,
                   const std::function<void(ReadItem&&)>& sink);

// Total bytes `read_articles` will read, or nullopt when unknown (stdin, compressed files).
std::optional<std::uint64_t> input_size(const std::vector<std::string>& inputs,
                                        const ReadOptions& options = {});

}  // namespace gazette
