// Input plumbing: expands files, directories and stdin into a stream of records,
// choosing the reader for each file by format or extension, decompressing .gz/.zst,
// and turning every unreadable input into a reported skip rather than a stop.
#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "gazette/reader.h"
#include "indexer/readers/decompress.h"
#include "indexer/readers/readers.h"

namespace gazette {
namespace {

namespace fs = std::filesystem;

InputFormat format_of_name(const fs::path& path) {
  const std::string extension = indexer::without_compression(path).extension().string();
  if (extension == ".jsonl" || extension == ".ndjson" || extension == ".json") return InputFormat::kJsonl;
  if (extension == ".html" || extension == ".htm" || extension == ".xhtml") return InputFormat::kHtml;
  if (extension == ".txt" || extension == ".text") return InputFormat::kText;
  return InputFormat::kAuto;  // Not a known article file.
}

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

bool matches_any(const std::vector<std::string>& globs, const std::string& relative, const std::string& name) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), relative.c_str(), 0) == 0 || fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  });
}

struct InputFile {
  fs::path path;
  std::string relative;  // To the input root, '/'-separated: text ids are hashed from it.
};

// The files an input stands for, in a stable (sorted) order. Problems with the input
// itself are reported to `sink`.
std::vector<InputFile> expand(const std::string& input, const ReadOptions& options,
                              const std::function<void(ReadItem&&)>* sink) {
  auto report = [&](std::string message) {
    if (sink) (*sink)(ReadItem{InputError(input, 0, std::move(message)), 0});
  };
  const fs::path root(input);
  std::error_code error;
  const fs::file_status status = fs::status(root, error);
  if (error || !fs::exists(status)) {
    report("no such file or directory");
    return {};
  }
  if (!fs::is_directory(status)) return {InputFile{root, root.filename().generic_string()}};

  // The walk: every directory below the root (links to directories are not followed,
  // so a link loop cannot trap it); a directory that cannot be read and a link to a
  // missing file are reported by name, and the walk goes on.
  std::vector<InputFile> files;
  const auto report_path = [&](const fs::path& path, const std::string& message) {
    if (sink) (*sink)(ReadItem{InputError(path.string(), 0, message), 0});
  };
  std::vector<fs::path> directories{root};
  while (!directories.empty()) {
    const fs::path directory = std::move(directories.back());
    directories.pop_back();
    fs::directory_iterator it(directory, error);
    if (error) {
      report_path(directory, "cannot read directory: " + error.message() + ", skipped");
      error.clear();
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(error)) {
      const fs::path& path = it->path();
      if (is_hidden(path)) continue;
      std::error_code entry_error;
      const bool link = it->is_symlink(entry_error);
      if (it->is_directory(entry_error)) {
        if (!link) directories.push_back(path);
        continue;
      }
      if (link && !fs::exists(path, entry_error)) {
        report_path(path, "link to a missing file (" + fs::read_symlink(path, entry_error).string() + "), skipped");
        continue;
      }
      if (!it->is_regular_file(entry_error)) continue;
      const std::string relative = path.lexically_relative(root).generic_string();
      const std::string name = path.filename().string();
      if (!options.exclude_globs.empty() && matches_any(options.exclude_globs, relative, name)) continue;
      if (!options.include_globs.empty()) {
        if (!matches_any(options.include_globs, relative, name)) continue;
      } else if (format_of_name(path) == InputFormat::kAuto) {
        continue;
      }
      files.push_back(InputFile{path, relative});
    }
    if (error) {
      report_path(directory, "cannot read directory: " + error.message() + ", the rest of it skipped");
      error.clear();
    }
  }
  std::sort(files.begin(), files.end(),
            [](const InputFile& a, const InputFile& b) { return a.relative < b.relative; });
  return files;
}

InputFormat format_for(const fs::path& path, InputFormat requested) {
  if (requested != InputFormat::kAuto) return requested;
  const InputFormat by_name = format_of_name(path);
  return by_name == InputFormat::kAuto ? InputFormat::kText : by_name;
}

std::optional<UnixSeconds> modification_time(const fs::path& path) {
  std::error_code error;
  const auto time = fs::last_write_time(path, error);
  if (error) return std::nullopt;
  const auto system = std::chrono::file_clock::to_sys(time);
  return std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
}

// Reads one single-article file (text or HTML), at most the size cap plus one byte.
void read_single(std::istream& input, const std::string& file_name, const std::string& relative,
                 InputFormat format, std::optional<UnixSeconds> file_time, const ReadOptions& options,
                 const std::function<void(ReadItem&&)>& sink) {
  std::string content;
  char chunk[1 << 16];
  const std::uint64_t cap = options.max_article_bytes;
  while (input.read(chunk, sizeof chunk) || input.gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(input.gcount()));
    if (cap > 0 && content.size() > cap) {
      sink(ReadItem{InputError(file_name, 0, "over the size cap of " + std::to_string(cap) +
                                                  " bytes (--max-file-size), skipped"),
                    content.size()});
      return;
    }
  }
  if (input.bad()) {
    sink(ReadItem{InputError(file_name, 0, "read error"), content.size()});
    return;
  }
  try {
    Article article = format == InputFormat::kHtml
                          ? indexer::parse_html_article(content, file_name, relative, options, file_time)
                          : indexer::parse_text_article(content, file_name, relative, options, file_time);
    sink(ReadItem{std::move(article), content.size()});
  } catch (InputError& error) {
    sink(ReadItem{std::move(error), content.size()});
  }
}

}  // namespace

void read_articles(const std::vector<std::string>& inputs, const ReadOptions& options,
                   const std::function<void(ReadItem&&)>& sink) {
  for (const std::string& input : inputs) {
    if (input == "-") {
      if (options.format == InputFormat::kText || options.format == InputFormat::kHtml) {
        read_single(std::cin, "<stdin>", "<stdin>", options.format, std::nullopt, options, sink);
      } else if (options.format == InputFormat::kSmart) {
        indexer::read_smart(std::cin, "<stdin>", options, sink);
      } else {
        indexer::read_jsonl(std::cin, "<stdin>", options, sink);
      }
      continue;
    }
    for (const InputFile& file : expand(input, options, &sink)) {
      const std::string file_name = file.path.string();
      try {
        indexer::InputStream stream(file.path);
        const InputFormat format = format_for(file.path, options.format);
        if (format == InputFormat::kJsonl) {
          indexer::read_jsonl(stream, file_name, options, sink);
        } else if (format == InputFormat::kSmart) {
          indexer::read_smart(stream, file_name, options, sink);
        } else {
          read_single(stream, file_name, file.relative, format, modification_time(file.path), options, sink);
        }
        if (!stream.error().empty()) sink(ReadItem{InputError(file_name, 0, stream.error()), 0});
      } catch (InputError& error) {
        sink(ReadItem{std::move(error), 0});
      }
    }
  }
}

std::optional<std::uint64_t> input_size(const std::vector<std::string>& inputs, const ReadOptions& options) {
  std::uint64_t total = 0;
  for (const std::string& input : inputs) {
    if (input == "-") return std::nullopt;
    for (const InputFile& file : expand(input, options, nullptr)) {
      // Readers count decompressed bytes, which the compressed size does not predict.
      if (indexer::compression_of_name(file.path) != indexer::Compression::kNone) return std::nullopt;
      std::error_code error;
      const auto size = fs::file_size(file.path, error);
      if (!error) total += size;
    }
  }
  return total;
}

}  // namespace gazette

namespace gazette::indexer {

bool read_line(std::istream& input, std::string& line, std::size_t cap, Line& read) {
  line.clear();
  read = Line{};
  char chunk[64 * 1024];
  const auto keep = [&](std::size_t count) {
    const std::size_t room = cap == 0 ? count : std::min(count, cap - std::min(cap, line.size()));
    line.append(chunk, room);
    read.cut = read.cut || room < count;
  };
  while (true) {
    input.getline(chunk, sizeof chunk);
    const auto got = static_cast<std::size_t>(input.gcount());
    if (!input.fail() && !input.eof()) {  // The '\n' was read (and counted in `got`).
      keep(got - 1);
      read.bytes += got;
      break;
    }
    if (input.eof()) {  // The last line, without a '\n'; or nothing left.
      keep(got);
      read.bytes += got;
      if (read.bytes == 0) return false;
      break;
    }
    if (input.bad()) return false;
    keep(got);  // A chunk's worth of a longer line.
    read.bytes += got;
    input.clear();
  }
  if (!read.cut && !line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

}  // namespace gazette::indexer
