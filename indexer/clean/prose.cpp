// Function words per language, and the prose measure built on them. The lists hold the
// words that make up the bulk of any running sentence (articles, pronouns, auxiliary
// verbs, prepositions, conjunctions) and no content words, however frequent.
#include "indexer/clean/prose.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/analysis.h"
#include "core/language.h"

namespace gazette::indexer::clean {
namespace {

struct Language {
  std::string_view code;
  std::vector<std::string_view> words;
};

// Written as a reader types them; folded with the analyser's own normalisation on use.
const std::vector<Language>& languages() {
  static const std::vector<Language> kLanguages = {
    {"en", {
      "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along",
      "already", "also", "although", "always", "am", "among", "an", "and", "another", "any",
      "anyone", "anything", "are", "around", "as", "at", "away", "be", "because", "been", "before",
      "being", "below", "between", "both", "but", "by", "can", "cannot", "could", "did", "do",
      "does", "doing", "down", "during", "each", "either", "else", "enough", "even", "ever",
      "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
      "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is",
      "it", "its", "itself", "just", "less", "many", "may", "me", "might", "more", "most", "much",
      "must", "my", "myself", "neither", "never", "no", "nor", "not", "now", "of", "off", "often",
      "on", "once", "one", "only", "onto", "or", "other", "others", "our", "ours", "out", "over",
      "own", "per", "perhaps", "quite", "rather", "same", "several", "shall", "she", "should",
      "since", "so", "some", "something", "still", "such", "than", "that", "the", "their", "theirs",
      "them", "themselves", "then", "there", "these", "they", "this", "those", "though", "through",
      "thus", "to", "too", "toward", "towards", "under", "unless", "until", "up", "upon", "us",
      "very", "via", "was", "we", "well", "were", "what", "whatever", "when", "where", "whether",
      "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would",
      "yet", "you", "your", "yours",
    }},
    {"fr", {
      "à", "au", "aux", "avec", "avait", "avant", "c", "ce", "ceci", "cela", "celle", "celles",
      "celui", "ces", "cet", "cette", "chaque", "comme", "comment", "d", "dans", "de", "depuis",
      "des", "donc", "dont", "du", "elle", "elles", "en", "encore", "entre", "est", "et", "été",
      "être", "eux", "fait", "il", "ils", "j", "je", "jusqu", "l", "la", "le", "les", "leur",
      "leurs", "lors", "lui", "m", "ma", "mais", "me", "même", "mes", "moi", "mon", "n", "ne", "ni",
      "nos", "notre", "nous", "on", "ont", "ou", "où", "par", "parce", "pas", "pendant", "peu",
      "peut", "plus", "pour", "pourquoi", "qu", "quand", "que", "quel", "quelle", "quelles",
      "quels", "qui", "s", "sa", "sans", "se", "selon", "ses", "si", "son", "sont", "sous", "sur",
      "t", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "très", "tu", "un",
      "une", "vers", "vos", "votre", "vous", "y", "a", "ai", "aussi", "avoir", "bien", "c'est",
      "déjà", "était", "étaient", "faire", "fois", "ici", "là", "moins", "non", "puis", "sera",
      "seront", "serait", "tandis", "tant", "toujours",
    }},
    {"de", {
      "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "auch", "auf",
      "aus", "bei", "beim", "bin", "bis", "bist", "da", "dabei", "damit", "dann", "das", "dass",
      "dein", "deine", "dem", "den", "denn", "der", "deren", "des", "dessen", "die", "dies",
      "diese", "diesem", "diesen", "dieser", "dieses", "doch", "dort", "du", "durch", "ein", "eine",
      "einem", "einen", "einer", "eines", "er", "es", "etwas", "euch", "euer", "für", "gegen",
      "gewesen", "hab", "habe", "haben", "hat", "hatte", "hatten", "hier", "hin", "hinter", "ich",
      "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "im", "in", "indem",
      "ins", "ist", "jede", "jedem", "jeden", "jeder", "jedes", "jetzt", "kann", "kein", "keine",
      "keinem", "keinen", "keiner", "können", "könnte", "man", "manche", "mehr", "mein", "meine",
      "mit", "muss", "musste", "nach", "nicht", "nichts", "noch", "nun", "nur", "ob", "oder",
      "ohne", "sehr", "sein", "seine", "seinem", "seinen", "seiner", "sich", "sie", "sind", "so",
      "solche", "soll", "sollte", "sondern", "sowie", "über", "um", "und", "uns", "unser", "unsere",
      "unter", "vom", "von", "vor", "war", "waren", "warum", "was", "weil", "welche", "welchem",
      "welchen", "welcher", "welches", "wenn", "wer", "werde", "werden", "wie", "wieder", "will",
      "wir", "wird", "wo", "wurde", "wurden", "zu", "zum", "zur", "zwischen", "schon", "bereits",
      "sowohl",
    }},
    {"es", {
      "a", "al", "algo", "algunas", "algunos", "ante", "antes", "aquel", "aquella", "aquellos",
      "aquí", "así", "aunque", "cada", "como", "con", "contra", "cual", "cuando", "cuyo", "de",
      "del", "desde", "donde", "dos", "durante", "e", "el", "ella", "ellas", "ellos", "en", "entre",
      "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "está", "están", "estaba",
      "estas", "este", "esto", "estos", "fue", "fueron", "ha", "había", "han", "hasta", "hay", "la",
      "las", "le", "les", "lo", "los", "más", "me", "mi", "mientras", "muy", "nada", "ni", "no",
      "nos", "nosotros", "o", "otra", "otras", "otro", "otros", "para", "pero", "poco", "por",
      "porque", "puede", "pueden", "que", "qué", "quien", "quienes", "se", "sea", "según", "ser",
      "si", "sí", "sido", "sin", "sobre", "su", "sus", "también", "tan", "tanto", "te", "tiene",
      "tienen", "todo", "todos", "tu", "un", "una", "unas", "uno", "unos", "usted", "ya", "yo",
      "será", "sería", "hacer", "hace", "luego", "además",
    }},
    {"pt", {
      "a", "ao", "aos", "aquela", "aquele", "aqueles", "as", "até", "com", "como", "contra", "da",
      "das", "de", "dela", "dele", "deles", "depois", "do", "dos", "e", "ela", "elas", "ele",
      "eles", "em", "entre", "era", "eram", "essa", "esse", "esta", "está", "estão", "este", "eu",
      "foi", "foram", "há", "isso", "isto", "já", "lhe", "lhes", "mais", "mas", "me", "mesmo",
      "meu", "minha", "muito", "na", "nas", "nem", "no", "nos", "nós", "num", "numa", "o", "os",
      "ou", "para", "pela", "pelas", "pelo", "pelos", "por", "porque", "quando", "que", "quem",
      "se", "sem", "ser", "seu", "seus", "sua", "suas", "são", "só", "também", "te", "tem", "têm",
      "tinha", "um", "uma", "umas", "uns", "você", "vocês", "ainda", "sobre", "onde", "pode",
      "podem", "será", "seria", "sido", "ter", "todo", "todos", "toda", "todas",
    }},
    {"it", {
      "a", "ad", "al", "alla", "alle", "agli", "ai", "all", "anche", "ancora", "avere", "aveva",
      "c", "che", "chi", "ci", "come", "con", "contro", "cui", "da", "dal", "dalla", "dalle",
      "dagli", "dai", "degli", "dei", "del", "della", "delle", "dello", "di", "dove", "e", "è",
      "ed", "era", "erano", "essere", "gli", "ha", "hanno", "i", "il", "in", "io", "la", "le",
      "lei", "lo", "loro", "lui", "ma", "mi", "mio", "molto", "ne", "negli", "nei", "nel", "nella",
      "nelle", "nello", "noi", "non", "nostro", "o", "ogni", "per", "perché", "più", "poi", "quale",
      "quando", "quella", "quelle", "quello", "questa", "queste", "questo", "qui", "se", "sei",
      "si", "sia", "siamo", "sono", "su", "sua", "sue", "suo", "suoi", "sul", "sulla", "tra", "tu",
      "tutti", "tutto", "un", "una", "uno", "voi", "già", "stato", "stata",
    }},
    {"nl", {
      "aan", "al", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "doch", "door", "dus",
      "een", "en", "er", "geen", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij",
      "hoe", "hun", "ik", "in", "is", "je", "kan", "kon", "maar", "me", "meer", "men", "met", "mij",
      "mijn", "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "ons", "ook", "op",
      "over", "te", "tegen", "tot", "u", "uit", "van", "veel", "voor", "want", "was", "wat", "we",
      "wel", "werd", "wie", "wij", "wordt", "worden", "zal", "ze", "zei", "zich", "zij", "zijn",
      "zo", "zonder", "zou",
    }},
    {"cs", {
      "a", "aby", "ale", "ani", "ano", "asi", "až", "bez", "bude", "budou", "by", "byl", "byla",
      "byli", "bylo", "být", "co", "či", "další", "do", "ho", "i", "jak", "jako", "je", "jeho",
      "jej", "její", "jejich", "jen", "ještě", "jestli", "již", "jsem", "jsi", "jsme", "jsou",
      "jste", "k", "kam", "kde", "kdo", "když", "ke", "která", "které", "kterou", "který", "kteří",
      "má", "mají", "mezi", "mi", "mít", "mně", "mnoho", "mu", "můj", "na", "nad", "nám", "není",
      "než", "nic", "o", "od", "on", "ona", "oni", "ono", "pak", "po", "pod", "podle", "pokud",
      "pouze", "právě", "pro", "proč", "protože", "před", "při", "s", "se", "si", "sice", "svůj",
      "své", "svých", "svým", "tak", "také", "tam", "tedy", "to", "tom", "tomto", "tu", "tuto",
      "ty", "u", "už", "v", "ve", "více", "však", "všechno", "z", "za", "ze", "že",
    }},
    {"zh", {
      "的", "了", "是", "在", "和", "有", "我", "你", "他", "她", "它", "这", "那", "就", "不", "也", "都", "而", "与",
      "及", "或", "但", "被", "把", "对", "从", "到", "为", "以", "之", "其", "于", "将", "已", "个", "们", "上", "下",
      "说", "要", "会", "可以", "没有", "一个", "我们", "他们", "这个", "因为", "所以", "如果", "但是", "还", "又", "很", "最",
      "等", "更", "让", "给", "向", "由", "着", "过", "吗", "呢", "吧", "这些", "那些", "自己", "什么", "因此", "并",
      "并且", "而且", "之后", "之前", "已经", "這", "們", "個", "對", "從", "為", "於", "將", "與", "會", "說", "還", "過",
      "讓", "給", "嗎", "沒有", "這個", "我們", "他們", "因為", "這些", "什麼", "並", "並且", "已經", "之後",
    }},
    {"ja", {
      "の", "に", "は", "を", "た", "が", "で", "て", "と", "し", "も", "な", "か", "だ", "です", "ます", "ない", "この",
      "その", "あの", "こと", "ある", "いる", "する", "から", "まで", "より", "へ", "や", "など", "れる", "られる", "ので", "けど",
      "でも", "そして", "また", "さ", "れ", "ず", "よう", "ため", "もの", "という", "として", "について", "による", "において", "なる",
      "なっ", "あり", "おり", "いう", "これ", "それ", "ここ", "そこ",
    }},  };
  return kLanguages;
}

// Czech has no articles and expresses most relations through case endings, and Chinese
// words (as ICU's dictionary segments them) are more often content words: the same
// prose has about two thirds of the English share of function words.
double scale_of(std::string_view code) { return code == "cs" || code == "zh" ? 1.5 : 1.0; }

const std::unordered_set<std::string>* function_words(std::string_view code) {
  static const std::map<std::string, std::unordered_set<std::string>, std::less<>> kFolded = [] {
    std::map<std::string, std::unordered_set<std::string>, std::less<>> folded;
    for (const Language& language : languages()) {
      auto& set = folded[std::string(language.code)];
      for (std::string_view word : language.words) set.insert(core::normalize_word(word));
    }
    return folded;
  }();
  const auto found = kFolded.find(code);
  return found == kFolded.end() ? nullptr : &found->second;
}

}  // namespace

ProseMeasure::ProseMeasure(std::string_view language) {
  if (function_words(language) != nullptr) {
    language_ = std::string(language);
    scale_ = scale_of(language);
  }
}

ProseMeasure ProseMeasure::for_text(std::string_view text) {
  if (ProseMeasure measure(core::detect_language(text).code); measure.known()) return measure;
  // CLD2 is unsure (a short text, or one mostly of names): the language with the most
  // distinct function words in the text, if it has at least eight.
  thread_local core::Tokenizer tokenizer;
  std::unordered_set<std::string> seen;
  tokenizer.for_each(text, [&](std::string_view term, std::size_t, std::size_t) { seen.emplace(term); });
  std::string_view best;
  std::size_t best_count = 7;
  for (const Language& language : languages()) {
    const auto* words = function_words(language.code);
    const auto found = static_cast<std::size_t>(
        std::count_if(words->begin(), words->end(), [&](const std::string& word) { return seen.count(word) > 0; }));
    if (found > best_count) best = language.code, best_count = found;
  }
  return ProseMeasure(best);
}

double ProseMeasure::density(std::string_view text) const {
  const auto* words = function_words(language_);
  if (words == nullptr) return 0;
  thread_local core::Tokenizer tokenizer;
  std::size_t all = 0, function = 0;
  tokenizer.for_each(text, [&](std::string_view term, std::size_t, std::size_t) {
    ++all;
    const std::string word(term);
    if (words->count(word)) {
      ++function;
    } else if (const auto apostrophe = word.find('\''); apostrophe != std::string::npos && apostrophe > 0) {
      // An elided article or pronoun: French l'homme, qu'il, Italian dell'anno.
      function += words->count(word.substr(0, apostrophe)) > 0;
    }
  });
  return all == 0 ? 0 : scale_ * static_cast<double>(function) / static_cast<double>(all);
}

}  // namespace gazette::indexer::clean
