// Input plumbing: expands files, directories and stdin into a stream of records,
// choosing the reader for each file by format or extension.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "gazette/reader.h"
#include "indexer/readers/readers.h"

namespace gazette {
namespace {

namespace fs = std::filesystem;

bool is_jsonl_name(const fs::path& path) {
  const std::string extension = path.extension().string();
  return extension == ".jsonl" || extension == ".ndjson" || extension == ".json";
}

bool is_text_name(const fs::path& path) {
  const std::string extension = path.extension().string();
  return extension == ".txt" || extension == ".text";
}

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

struct InputFile {
  fs::path path;
  std::string relative;  // To the input root, '/'-separated: the text id is hashed from it.
};

// The files an input stands for, in a stable (sorted) order.
std::vector<InputFile> expand(const std::string& input) {
  const fs::path root(input);
  std::error_code error;
  const fs::file_status status = fs::status(root, error);
  if (error || !fs::exists(status)) throw InputError(input, 0, "no such file or directory");
  if (!fs::is_directory(status)) return {InputFile{root, root.filename().generic_string()}};

  std::vector<InputFile> files;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
  if (error) throw InputError(input, 0, "cannot read directory: " + error.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) throw InputError(input, 0, "cannot read directory: " + error.message());
    if (is_hidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    if (!is_jsonl_name(it->path()) && !is_text_name(it->path())) continue;
    files.push_back(InputFile{it->path(), it->path().lexically_relative(root).generic_string()});
  }
  std::sort(files.begin(), files.end(),
            [](const InputFile& a, const InputFile& b) { return a.relative < b.relative; });
  return files;
}

bool reads_as_jsonl(const fs::path& path, InputFormat format) {
  if (format == InputFormat::kAuto) return is_jsonl_name(path);
  return format == InputFormat::kJsonl;
}

void read_text_file(std::istream& input, const std::string& file_name,
                    const std::string& relative, const ReadOptions& options,
                    const std::function<void(ReadItem&&)>& sink) {
  const std::string content{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
  if (input.bad()) throw InputError(file_name, 0, "read error");
  try {
    sink(ReadItem{indexer::parse_text_article(content, file_name, relative, options),
                  content.size()});
  } catch (InputError& error) {
    sink(ReadItem{std::move(error), content.size()});
  }
}

}  // namespace

void read_articles(const std::vector<std::string>& inputs, const ReadOptions& options,
                   const std::function<void(ReadItem&&)>& sink) {
  for (const std::string& input : inputs) {
    if (input == "-") {
      if (options.format == InputFormat::kText) {
        read_text_file(std::cin, "<stdin>", "<stdin>", options, sink);
      } else {
        indexer::read_jsonl(std::cin, "<stdin>", options, sink);
      }
      continue;
    }
    for (const InputFile& file : expand(input)) {
      const std::string file_name = file.path.string();
      std::ifstream stream(file.path, std::ios::binary);
      if (!stream) throw InputError(file_name, 0, "cannot open file");
      if (reads_as_jsonl(file.path, options.format)) {
        indexer::read_jsonl(stream, file_name, options, sink);
      } else {
        read_text_file(stream, file_name, file.relative, options, sink);
      }
    }
  }
}

std::optional<std::uint64_t> input_size(const std::vector<std::string>& inputs) {
  std::uint64_t total = 0;
  for (const std::string& input : inputs) {
    if (input == "-") return std::nullopt;
    try {
      for (const InputFile& file : expand(input)) {
        std::error_code error;
        const auto size = fs::file_size(file.path, error);
        if (!error) total += size;
      }
    } catch (const InputError&) {
      // read_articles reports it.
    }
  }
  return total;
}

}  // namespace gazette
