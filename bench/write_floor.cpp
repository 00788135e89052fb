// What Xapian's write path costs per article, apart from Gazette: the articles of a
// JSON Lines file are analysed once into Xapian documents (timed), then written into
// fresh 2,000-document glass databases (one per batch, as the indexer's segments are)
// in four ways: as built; without positions; without the termlist table
// (DB_NO_TERMLIST); without either. One thread.
// Usage: gazette_write_floor FILE.jsonl [COUNT] [DIR]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/article_json.h"
#include "core/disk_usage.h"
#include "indexer/document_builder.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Xapian::Document without_positions(const Xapian::Document& document) {
  Xapian::Document copy;
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    copy.add_term(*term, term.get_wdf());
  }
  for (auto value = document.values_begin(); value != document.values_end(); ++value) {
    copy.add_value(value.get_valueno(), *value);
  }
  copy.set_data(document.get_data());
  return copy;
}

void write_all(const char* name, const std::vector<Xapian::Document>& documents, const std::string& dir,
               int flags) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  constexpr std::size_t kBatch = 2000;
  const auto start = Clock::now();
  for (std::size_t first = 0; first < documents.size(); first += kBatch) {
    Xapian::WritableDatabase database(dir + "/s" + std::to_string(first / kBatch),
                                      Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | flags);
    for (std::size_t i = first; i < std::min(documents.size(), first + kBatch); ++i) {
      database.add_document(documents[i]);
    }
    database.commit();
  }
  const double elapsed = seconds_since(start);
  std::printf("%-28s %8.3f s  %7.0f articles/s  %6.3f ms/article  %7.1f MB\n", name, elapsed,
              documents.size() / elapsed, 1000 * elapsed / documents.size(),
              gazette::core::directory_bytes(dir) / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.jsonl [COUNT] [DIR]\n", argv[0]);
    return 2;
  }
  const std::size_t count = argc > 2 ? std::stoul(argv[2]) : 20000;
  const std::string dir = argc > 3 ? argv[3] : "write-floor.tmp";

  std::vector<gazette::Article> articles;
  std::ifstream input(argv[1]);
  for (std::string line; articles.size() < count && std::getline(input, line);) {
    articles.push_back(gazette::core::article_from_json(nlohmann::json::parse(line)));
  }

  gazette::indexer::DocumentBuilder builder;
  std::vector<Xapian::Document> documents;
  auto start = Clock::now();
  for (const auto& article : articles) {
    documents.push_back(builder.build(article));
    builder.take_spelling_words();
  }
  const double analysis = seconds_since(start);
  std::printf("%-28s %8.3f s  %7.0f articles/s  %6.3f ms/article\n", "analysis (DocumentBuilder)", analysis,
              documents.size() / analysis, 1000 * analysis / documents.size());

  std::vector<Xapian::Document> bare;
  for (const auto& document : documents) bare.push_back(without_positions(document));

  write_all("write as built", documents, dir, 0);
  write_all("write, no positions", bare, dir, 0);
  write_all("write, no termlist", documents, dir, Xapian::DB_NO_TERMLIST);
  write_all("write, neither", bare, dir, Xapian::DB_NO_TERMLIST);
  std::filesystem::remove_all(dir);
  return 0;
}
