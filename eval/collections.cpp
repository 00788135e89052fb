// Test-collection files: topics (SMART, TREC, TSV) and judgments (TREC qrels and
// Cranfield's graded three-column form).
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/strings.h"
#include "gazette/errors.h"
#include "gazette/eval.h"

namespace gazette {
namespace {

using core::fold_space;
using core::trim;

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) throw InputError(path, 0, "cannot open");
  std::vector<std::string> lines;
  for (std::string line; std::getline(input, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

// The white-space separated fields of a qrels or run line.
std::vector<std::string> split_fields(const std::string& line) {
  std::istringstream fields(line);
  std::vector<std::string> parts;
  for (std::string part; fields >> part;) parts.push_back(part);
  return parts;
}

std::vector<Topic> read_smart(const std::string& path, const std::vector<std::string>& lines) {
  std::vector<Topic> topics;
  bool in_text = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.starts_with(".I")) {
      const std::string id(trim(std::string_view(line).substr(2)));
      if (id.empty()) throw InputError(path, i + 1, "'.I' without a topic number");
      topics.push_back(Topic{id, {}});
      in_text = false;
    } else if (line.starts_with(".")) {
      if (topics.empty()) throw InputError(path, i + 1, "field '" + line + "' before the first '.I'");
      in_text = line.starts_with(".W");
    } else if (in_text) {
      topics.back().text += " " + line;
    }
  }
  for (Topic& topic : topics) topic.text = fold_space(topic.text);
  return topics;
}

std::vector<Topic> read_trec(const std::string& path, const std::vector<std::string>& lines, TopicField field) {
  std::vector<Topic> topics;
  std::string current_field;
  std::string title, description;
  std::size_t top_line = 0;
  auto finish = [&](std::size_t line) {
    if (topics.empty()) throw InputError(path, line, "</top> without <top>");
    std::string text = field == TopicField::kTitle         ? title
                       : field == TopicField::kDescription ? description
                                                           : title + " " + description;
    topics.back().text = fold_space(text);
    if (topics.back().id.empty()) throw InputError(path, top_line, "topic without <num>");
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (line.starts_with("<top>")) {
      topics.push_back({});
      title.clear();
      description.clear();
      current_field.clear();
      top_line = i + 1;
      continue;
    }
    if (line.starts_with("</top>")) {
      finish(i + 1);
      continue;
    }
    if (line.starts_with("<num>")) {
      std::string number(trim(std::string_view(line).substr(5)));
      if (number.starts_with("Number:")) number = std::string(trim(std::string_view(number).substr(7)));
      if (topics.empty()) throw InputError(path, i + 1, "<num> outside <top>");
      topics.back().id = number;
      current_field.clear();
      continue;
    }
    for (std::string_view tag : {"<title>", "<desc>", "<narr>"}) {
      if (line.starts_with(tag)) {
        current_field = std::string(tag);
        line = line.substr(tag.size());
        if (tag == "<desc>" && trim(line).starts_with("Description:")) line = trim(line).substr(12);
        if (tag == "<narr>" && trim(line).starts_with("Narrative:")) line = trim(line).substr(10);
        if (tag == "<title>" && trim(line).starts_with("Topic:")) line = trim(line).substr(6);
        break;
      }
    }
    if (current_field == "<title>") title += " " + line;
    if (current_field == "<desc>") description += " " + line;
  }
  return topics;
}

std::vector<Topic> read_tsv(const std::string& path, const std::vector<std::string>& lines) {
  std::vector<Topic> topics;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    const auto tab = lines[i].find('\t');
    if (tab == std::string::npos) throw InputError(path, i + 1, "expected 'TOPIC<TAB>text'");
    topics.push_back(Topic{std::string(trim(std::string_view(lines[i]).substr(0, tab))), fold_space(lines[i].substr(tab + 1))});
  }
  return topics;
}

}  // namespace

std::vector<Topic> read_topics(const std::string& path, TopicFormat format, TopicField field) {
  const std::vector<std::string> lines = read_lines(path);
  if (format == TopicFormat::kAuto) {
    format = TopicFormat::kTsv;
    for (const std::string& line : lines) {
      if (trim(line).empty()) continue;
      if (line.starts_with("<top>")) format = TopicFormat::kTrec;
      else if (line.starts_with(".I")) format = TopicFormat::kSmart;
      break;
    }
  }
  switch (format) {
    case TopicFormat::kSmart: return read_smart(path, lines);
    case TopicFormat::kTrec: return read_trec(path, lines, field);
    default: return read_tsv(path, lines);
  }
}

Qrels read_qrels(const std::string& path) {
  Qrels qrels;
  const std::vector<std::string> lines = read_lines(path);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string> parts = split_fields(lines[i]);
    if (parts.empty()) continue;
    auto number = [&](const std::string& text) {
      try {
        std::size_t used = 0;
        const int value = std::stoi(text, &used);
        if (used == text.size()) return value;
      } catch (const std::exception&) {
      }
      throw InputError(path, i + 1, "'" + text + "' is not a whole number");
    };
    if (parts.size() == 4) {
      qrels[parts[0]][parts[2]] = number(parts[3]);
    } else if (parts.size() == 3) {
      const int grade = number(parts[2]);
      qrels[parts[0]][parts[1]] = grade >= 1 && grade <= 4 ? 5 - grade : 0;
    } else {
      throw InputError(path, i + 1,
                       "expected 'TOPIC ITERATION DOC RELEVANCE' (TREC) or 'TOPIC DOC GRADE' (Cranfield), got " +
                           std::to_string(parts.size()) + " fields");
    }
  }
  return qrels;
}

TopicNumbering number_topics(std::vector<Topic>& topics, const Qrels& qrels, TopicIds ids) {
  std::size_t by_file = 0, by_position = 0;
  for (std::size_t i = 0; i < topics.size(); ++i) {
    by_file += qrels.count(topics[i].id);
    by_position += qrels.count(std::to_string(i + 1));
  }
  const bool use_position = ids == TopicIds::kByPosition || (ids == TopicIds::kAuto && by_position > by_file);
  if (use_position) {
    for (std::size_t i = 0; i < topics.size(); ++i) topics[i].id = std::to_string(i + 1);
  }
  return TopicNumbering{use_position, use_position ? by_position : by_file};
}

SearchRequest topic_request(const std::string& text, std::size_t depth) {
  SearchRequest request;
  request.query = text;
  request.plain_words = true;
  request.default_operator = DefaultOperator::kAny;
  request.limit = depth;
  request.exact_total = false;
  request.outlet_facet_size = 0;
  request.date_facet = false;
  request.snippet_length = 0;
  request.ids_only = true;
  return request;
}

std::map<std::string, std::vector<ScoredDocument>> read_run(const std::string& path) {
  std::map<std::string, std::vector<ScoredDocument>> run;
  const std::vector<std::string> lines = read_lines(path);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string> parts = split_fields(lines[i]);
    if (parts.empty()) continue;
    if (parts.size() != 6) {
      throw InputError(path, i + 1, "expected 'TOPIC Q0 DOC RANK SCORE TAG', got " + std::to_string(parts.size()) + " fields");
    }
    double score = 0;
    try {
      std::size_t used = 0;
      score = std::stod(parts[4], &used);
      if (used != parts[4].size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw InputError(path, i + 1, "score '" + parts[4] + "' is not a number");
    }
    run[parts[0]].push_back(ScoredDocument{parts[2], score});
  }
  return run;
}

}  // namespace gazette
