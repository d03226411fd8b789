// The search page. It asks the Pagefind index (pagefind/ at the site root) and keeps the
// query and the filters in the address, so a link shows the same results. Filters
// combine as AND across facets and OR within one facet. Everything loads from this site.
//
// Bytes matter (readers on a phone, 10,000 cases): results come from the word chunks
// alone; the filter files that give the counts per option load once, after the first
// results are shown. Before any search the counts over all cases come with the page.

const MAX_QUERY = 200; // longer queries are cut; each word is looked up separately
const PAGE = 10;
const FEW = 20; // fewer cases than this for the words as typed: also search synonyms
const MAX_WORDS = 8; // content words of one query that count (a question has a few)
const FIRST = 3; // of a longer question, the words that fewest pages hold are asked first
// Pruned words carry this letter in the index text (kb_tools.index.pagefind_docs.MARK).
const MARK = /\u01c2/g;
const DATA = JSON.parse(document.getElementById("kb-search-data").textContent);
// Folded stop words and question filler (kb_tools.dutch): they never count against a case.
const IGNORE = new Set(DATA.ignore || []);
const form = document.getElementById("kb-search");
const input = document.getElementById("kb-q");
const status = document.getElementById("kb-status");
const rewriteNote = document.getElementById("kb-rewrite");
const list = document.getElementById("kb-results");
const none = document.getElementById("kb-none");
const more = document.getElementById("kb-more");
const clear = document.getElementById("kb-clear");
const details = document.getElementById("kb-filters");
const activeCount = document.getElementById("kb-filters-active");
const noneFilters = document.getElementById("kb-none-filters");
const noneList = document.getElementById("kb-none-list");
const noneWords = document.getElementById("kb-none-words");
const noneWordsList = document.getElementById("kb-none-words-list");
const fieldsets = [...form.querySelectorAll("fieldset[data-filter]")];
const FACETS = fieldsets.map((f) => f.dataset.filter);
// Facets with one choice (radio buttons, "Alles" first): cases or answers.
const ONE = new Set(fieldsets.filter((f) => "one" in f.dataset).map((f) => f.dataset.filter));
// The site root, from this file's address (assets/kb/zoeken.js): where short links start.
const ROOT = new URL("../../", import.meta.url);

let pagefind = null;
let filtersLoaded = null; // a promise, once the filter files are asked for
let filtersReady = false; // and once they are loaded
let running = ""; // the query and filters of the search under way
let results = [];
let shown = 0;
let sequence = 0;
let timer = 0;
let lastCorrected = []; // [typed, meant] of the last search (forgiving)
const preloaded = new Set();

function cleanQuery(value) {
  return (value || "").replace(/\s+/g, " ").trim().slice(0, MAX_QUERY);
}

function fold(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

// Synonyms from the vocabularies (not in the index, to keep it small): "vpb" is also
// looked up as "Vennootschapsbelasting". Longest phrase first, whole words only.
// Returns the query with every synonym replaced by its term's label, or null.
function expand(query) {
  const words = fold(query).match(/[\p{L}\p{N}]+/gu) || [];
  const out = [];
  const used = [];
  for (let i = 0; i < words.length; ) {
    let length = 0;
    for (let n = Math.min(4, words.length - i); n > 0 && !length; n--) {
      const phrase = words.slice(i, i + n).join(" ");
      if (Object.hasOwn(DATA.synonyms, phrase)) {
        out.push(DATA.synonyms[phrase]);
        used.push([phrase, DATA.synonyms[phrase]]);
        length = n;
      }
    }
    if (!length) out.push(words[i]);
    i += length || 1;
  }
  return used.length ? { text: out.join(" "), used } : null;
}

// The words of a query that count: no stop words or question filler ("mag iemand met
// een uitkering ..." asks about "uitkering"), each once, as typed. A query of filler
// alone keeps its words.
function contentWords(query) {
  const all = query.match(/[\p{L}\p{N}]+/gu) || [];
  const keep = (words) => {
    const seen = new Set();
    return words.filter((w) => !seen.has(fold(w)) && seen.add(fold(w)));
  };
  // A word of one or two letters ("to" in "right to challenge") would be looked up as
  // the start of every word that starts so: only an abbreviation the vocabularies know
  // ("ww") counts.
  const counts = (w) => !IGNORE.has(fold(w)) && (fold(w).length > 2 || Object.hasOwn(DATA.synonyms, fold(w)));
  const content = keep(all.filter(counts));
  return (content.length ? content : keep(all)).slice(0, MAX_WORDS);
}

// How many pages hold a word (the word list; 0 when it is not listed: a short word, an
// abbreviation, a rare word). Fewer pages: the word says more about what is asked.
async function pagesOf(word) {
  const folded = fold(word);
  if (folded.length < 4) return 0;
  const words = await wordShard(/^[a-z]/.test(folded) ? folded[0] : "_");
  for (const [spelled, pages] of Object.entries(words)) if (fold(spelled) === folded) return pages;
  return 0;
}

// The words of a long question asked first: the FIRST that fewest pages hold, in the
// order typed. Each word loads its own part of the index (per index part), so a
// question of eight words would move eight times the bytes of one: a word loaded while
// the reader typed counts as held by half its pages (of two about as common words, the
// one that costs nothing more).
async function informative(words) {
  if (words.length <= FIRST) return words;
  const pages = (await Promise.all(words.map(pagesOf))).map((n, i) =>
    preloaded.has(fold(words[i])) ? n / 2 : n,
  );
  const keep = new Set(
    words
      .map((w, i) => [w, pages[i], i])
      .sort((a, b) => a[1] - b[1] || a[2] - b[2])
      .slice(0, FIRST)
      .map(([w]) => w),
  );
  return words.filter((w) => keep.has(w));
}

// Damerau-Levenshtein distance (adjacent swaps count once), given up above max.
function distance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = null;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1);
      }
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

// The indexed words worth correcting to, one small file per first letter (written at
// build time beside the index): loaded only when a word of a query is not in the index.
const wordShards = new Map();
function wordShard(letter) {
  if (!wordShards.has(letter)) {
    const url = new URL(`../../pagefind/woorden/${letter}.json`, import.meta.url);
    wordShards.set(
      letter,
      fetch(url)
        .then((r) => (r.ok ? r.json() : {}))
        .catch(() => ({})),
    );
  }
  return wordShards.get(letter);
}

// Whether a word is an indexed word or the start of one (a word being typed). Short
// words are never corrected; the others are checked against the word list.
async function isIndexed(word) {
  const folded = fold(word);
  if (folded.length < 5) return true;
  const words = await wordShard(/^[a-z]/.test(folded) ? folded[0] : "_");
  return Object.keys(words).some((w) => fold(w).startsWith(folded));
}

// The nearest indexed word to a word the index does not have: one edit away for a word
// of 5 letters or more, two for 8 or more; the most common one of the nearest. Or null.
async function nearest(word) {
  const folded = fold(word);
  if (folded.length < 5) return null;
  const max = folded.length >= 8 ? 2 : 1;
  const letter = /^[a-z]/.test(folded) ? folded[0] : "_";
  const words = await wordShard(letter);
  let best = null;
  for (const [spelled, pages] of Object.entries(words)) {
    const d = distance(folded, fold(spelled), max);
    if (d > max || d === 0) continue;
    if (!best || d < best.d || (d === best.d && pages > best.pages)) best = { spelled, pages, d };
  }
  return best && best.spelled;
}

function countsOf(search) {
  return search.filters || {};
}

function addCounts(total, counts, sign = 1) {
  for (const [facet, values] of Object.entries(counts)) {
    total[facet] ||= {};
    for (const [value, n] of Object.entries(values)) {
      total[facet][value] = (total[facet][value] || 0) + sign * n;
    }
  }
  return total;
}

function subsets(items, size) {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items;
  return [...subsets(rest, size - 1).map((s) => [first, ...s]), ...subsets(rest, size)];
}

// Ranked, forgiving matching. Pagefind finds only pages with every word, so: the pages
// with all content words first; when those are few, the pages with all but one, then
// the pages with most of them (at least half, or any at all when nothing else is
// found), each group in Pagefind's order. A word the index lacks is replaced by the
// nearest indexed word. Returns a search ({results, filters}) and what was corrected;
// each result of a lower group lists the words it lacks (result.missing).
async function forgiving(query, options) {
  if (!query) return [await pagefind.search(null, options), []];
  const words = contentWords(query);
  if (words.length > FIRST) {
    // A long question: its most telling words first; all of them only when those find
    // few cases.
    const first = await forgivingWords(await informative(words), options);
    if (first[0].results.length >= FEW) return first;
  }
  return forgivingWords(words, options);
}

async function forgivingWords(typed, options) {
  // Most words are spelled right: ask Pagefind while the word list is checked.
  const known = Promise.all(typed.map(isIndexed));
  const guess = pagefind.search(typed.join(" "), options);
  guess.catch(() => null); // not awaited when a word is corrected
  const words = [];
  const corrected = [];
  for (const [i, word] of typed.entries()) {
    if ((await known)[i]) {
      words.push(word);
      continue;
    }
    const near = await nearest(word);
    if (near && !words.some((w) => fold(w) === fold(near))) {
      words.push(near);
      corrected.push([word, near]);
    } else if (!near) {
      words.push(word); // Pagefind may still know its stem
    }
  }
  if (!words.length) return [{ results: [], filters: {} }, corrected];
  const same = corrected.length === 0 && words.length === typed.length;
  const all = same ? await guess : await pagefind.search(words.join(" "), options);
  const results = [...all.results];
  const filters = addCounts({}, countsOf(all));
  const seen = new Set(results.map((r) => r.id));
  const n = words.length;
  const add = (found, missing) => {
    for (const r of found) {
      if (!seen.has(r.id)) {
        seen.add(r.id);
        r.missing = missing;
        results.push(r);
      }
    }
  };
  if (results.length >= FEW || n < 2) return [{ results, filters }, corrected];
  if (n >= 3) {
    // All words but one: each page of those lacks exactly the word left out.
    const rest = await Promise.all(
      words.map((_, i) => pagefind.search(words.filter((_, j) => j !== i).join(" "), options)),
    );
    for (const [i, search] of rest.entries()) {
      add(search.results, [words[i]]);
      addCounts(filters, countsOf(search));
      addCounts(filters, countsOf(all), -1);
    }
    if (results.length >= FEW || n === 3) return [{ results, filters }, corrected];
  }
  // Each word alone: pages ranked by how many of the words they have, then by score.
  const single = await Promise.all(words.map((w) => pagefind.search(w, options)));
  const found = new Map();
  for (const [i, search] of single.entries()) {
    for (const r of search.results) {
      if (seen.has(r.id)) continue;
      const entry = found.get(r.id) || { r, has: new Set(), score: 0 };
      entry.has.add(i);
      entry.score += r.score;
      found.set(r.id, entry);
    }
  }
  const most = Math.max(0, ...[...found.values()].map((e) => e.has.size));
  const least = results.length ? Math.min(most, Math.ceil(n / 2)) : 1;
  const ranked = [...found.values()]
    .filter((e) => e.has.size >= least)
    .sort((a, b) => b.has.size - a.has.size || b.score - a.score);
  for (const e of ranked) add([e.r], words.filter((_, i) => !e.has.has(i)));
  if (ranked.length) {
    // Two words: |A or B| = |A| + |B| - |A and B|, exact. More: an upper bound, so an
    // option with results never shows 0.
    for (const search of single) addCounts(filters, countsOf(search));
    if (n === 2) addCounts(filters, countsOf(all), -2);
    for (const values of Object.values(filters)) {
      for (const value of Object.keys(values)) values[value] = Math.max(0, values[value]);
    }
  }
  return [{ results, filters }, corrected];
}

// One search for the words as typed; when that finds few cases, united with one for
// the words with synonyms replaced: typed-word hits first. The counts per option stay
// exact: |A or B| = |A| + |B| - |A and B|, and "A and B" is one search with both sets
// of words. Returns the search and whether the synonyms were used. counted: false
// before the filter files are loaded (Pagefind counts nothing yet): no search for the
// counts alone then.
async function searchAll(query, expanded, options, counted = true) {
  const [typed, corrected] = await forgiving(query, options);
  lastCorrected = corrected;
  if (!expanded || typed.results.length >= FEW) return [typed, false];
  const [other, both] = await Promise.all([
    pagefind.search(expanded.text, options),
    counted ? pagefind.search(`${contentWords(query).join(" ")} ${expanded.text}`, options) : null,
  ]);
  const seen = new Set(typed.results.map((r) => r.id));
  const results = [...typed.results, ...other.results.filter((r) => !seen.has(r.id))];
  const filters = {};
  if (!both) return [{ results, filters }, true];
  for (const facet of new Set([...Object.keys(typed.filters), ...Object.keys(other.filters)])) {
    const [a, b, ab] = [typed, other, both].map((s) => s.filters[facet] || {});
    filters[facet] = {};
    for (const value of new Set([...Object.keys(a), ...Object.keys(b)])) {
      filters[facet][value] = (a[value] || 0) + (b[value] || 0) - (ab[value] || 0);
    }
  }
  return [{ results, filters }, true];
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const facet of FACETS) {
    const values = params.getAll(facet).filter(Boolean);
    if (values.length) filters[facet] = ONE.has(facet) ? values.slice(0, 1) : values;
  }
  return { query: cleanQuery(params.get("q")), filters };
}

function selected() {
  const filters = {};
  for (const fieldset of fieldsets) {
    const values = [...fieldset.querySelectorAll("input:checked")]
      .map((i) => i.value)
      .filter(Boolean); // "" is "Alles" of a one-choice facet
    if (values.length) filters[fieldset.dataset.filter] = values;
  }
  return filters;
}

function writeAddress(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const facet of FACETS) for (const value of filters[facet] || []) params.append(facet, value);
  const search = params.toString();
  const url = location.pathname + (search ? "?" + search : "");
  if (url !== location.pathname + location.search) history.replaceState(null, "", url);
}

function pagefindFilters(filters, without) {
  const out = {};
  for (const [facet, values] of Object.entries(filters)) {
    if (facet !== without && values.length) out[facet] = { any: values };
  }
  return out;
}

function plural(n, one, many) {
  return `${n.toLocaleString("nl-NL")} ${n === 1 ? one : many}`;
}

function label(facet, value) {
  return (DATA.labels[facet] || {})[value] || value;
}

// The options of every facet with the number of results each gives next to the other
// facets' choices (so counts within an OR facet stay useful). counts === null: not
// known yet; the options stay, without numbers. An option that would give nothing is
// shown with its 0 but cannot be chosen (unless it is chosen already: then it can be
// taken away).
function drawFilters(counts, filters) {
  let active = 0;
  for (const fieldset of fieldsets) {
    const facet = fieldset.dataset.filter;
    const one = ONE.has(facet);
    const chosen = new Set(filters[facet] || []);
    active += chosen.size;
    const options = counts ? counts[facet] || {} : DATA.totals[facet] || {};
    const values = Object.keys(DATA.totals[facet] || {});
    for (const value of [...Object.keys(options), ...chosen]) {
      if (!values.includes(value)) values.push(value);
    }
    values.sort((a, b) => label(facet, a).localeCompare(label(facet, b), "nl"));
    if (one) values.unshift(""); // "Alles": as many as all options together (each item has one)
    const total = Object.values(options).reduce((sum, n) => sum + n, 0);
    const ul = fieldset.querySelector("ul");
    const focused = document.activeElement;
    const focusValue = focused && ul.contains(focused) ? focused.value : null;
    ul.replaceChildren();
    for (const [index, value] of values.entries()) {
      const count = value ? options[value] || 0 : total;
      const id = `kb-f-${facet}-${index}`;
      const li = document.createElement("li");
      const box = document.createElement("input");
      box.type = one ? "radio" : "checkbox";
      box.id = id;
      box.name = facet;
      box.value = value;
      box.checked = value ? chosen.has(value) : chosen.size === 0;
      if (counts && !count && !box.checked) {
        li.className = "kb-filter__empty";
        box.disabled = true;
      }
      const text = document.createElement("label");
      text.htmlFor = id;
      text.append(value ? label(facet, value) : "Alles", " ");
      if (counts) {
        // The number is seen; a screen reader hears "3 resultaten" once.
        const badge = document.createElement("span");
        badge.className = "kb-filter__count";
        badge.textContent = String(count);
        badge.setAttribute("aria-hidden", "true");
        const spoken = document.createElement("span");
        spoken.className = "kb-sr-only";
        spoken.textContent = `(${plural(count, "resultaat", "resultaten")})`;
        text.append(badge, spoken);
      }
      li.append(box, text);
      ul.append(li);
      if (focusValue === value) box.focus();
    }
    fieldset.hidden = values.length <= (one ? 2 : 0); // one kind only: nothing to choose
  }
  activeCount.textContent = active ? `(${active} gekozen)` : "";
  clear.hidden = active === 0;
}

// Pagefind's excerpt with only its <mark> elements kept: everything else becomes text.
function excerpt(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const p = document.createElement("p");
  p.className = "kb-result__excerpt";
  for (const node of doc.body.firstChild.childNodes) {
    const text = node.textContent.replace(MARK, "");
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = text;
      p.append(mark);
    } else {
      p.append(text);
    }
  }
  return p;
}

// The next PAGE results, each shown as soon as it and the ones above it have their
// fragment: the first result does not wait for the tenth.
async function showMore(mine) {
  const slice = results.slice(shown, shown + PAGE);
  const pending = slice.map((r) => r.data());
  const missing = slice.map((r) => r.missing);
  for (const [index, loading] of pending.entries()) {
    const item = await loading;
    if (mine !== sequence) return;
    const li = document.createElement("li");
    li.className = "kb-result";
    const h = document.createElement("h2");
    h.className = "kb-result__title";
    const a = document.createElement("a");
    a.href = item.url;
    a.textContent = item.meta.title || item.url;
    h.append(a);
    li.append(h);
    const where = [item.meta.plaats, item.meta.netwerk].filter(Boolean).join(" · ");
    if (where) {
      const p = document.createElement("p");
      p.className = "kb-result__where";
      p.textContent = where;
      li.append(p);
    }
    if (item.excerpt) li.append(excerpt(item.excerpt));
    if (missing[index]) {
      const p = document.createElement("p");
      p.className = "kb-result__missing";
      p.textContent = `Zonder het woord: ${missing[index].join(", ")}`;
      li.append(p);
    }
    if (item.meta.link) li.append(copyButton(item));
    list.append(li);
  }
  shown += slice.length;
  more.hidden = shown >= results.length;
}

// "Kopieer link", as on case and answer pages (partials/kb-copy.html, kopieer.js): one
// line with the title, who published it and the stable short link (c/<id>/, a/<id>/),
// from the published address when the site knows it, else from where the reader is.
function shortLink(item) {
  return new URL(item.meta.link, DATA.site || ROOT).href;
}

function citation(item) {
  const title = (item.meta.title || "").trim();
  const by = item.meta.netwerk ? ` ${item.meta.netwerk}.` : "";
  return `${title}${/[.?!]$/.test(title) ? "" : "."}${by}`;
}

function copyButton(item) {
  const p = document.createElement("p");
  p.className = "kb-copy kb-result__copy";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button kb-copy__button";
  button.dataset.href = shortLink(item);
  button.dataset.citation = citation(item);
  const about = document.createElement("span");
  about.className = "kb-sr-only";
  about.textContent = `: ${item.meta.title || item.meta.link}`;
  button.append("Kopieer link", about);
  const state = document.createElement("span");
  state.className = "kb-copy__status";
  state.setAttribute("role", "status");
  p.append(button, state);
  return p;
}

async function copy(button) {
  const line = `${button.dataset.citation} ${button.dataset.href}`;
  const state = button.parentElement.querySelector(".kb-copy__status");
  try {
    await navigator.clipboard.writeText(line);
    state.textContent = "Gekopieerd. Plak de link in uw e-mail.";
  } catch {
    const field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = line;
    field.className = "kb-copy__field";
    field.setAttribute("aria-label", "Link om te kopiëren");
    state.replaceChildren("Kopiëren lukte niet. Kopieer deze tekst zelf: ", field);
    field.select();
  }
}

// Nothing found: the active filters, each with "Filter weghalen", and searches for
// fewer words that do find something (with their number).
async function showNone(mine, query, filters) {
  noneList.replaceChildren();
  for (const fieldset of fieldsets) {
    const facet = fieldset.dataset.filter;
    const heading = fieldset.querySelector("legend").textContent.trim();
    for (const value of filters[facet] || []) {
      const li = document.createElement("li");
      const name = ONE.has(facet) ? label(facet, value) : `${heading}: ${label(facet, value)}`;
      const text = document.createElement("span");
      text.textContent = name;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button kb-none__remove";
      button.dataset.filter = facet;
      button.dataset.value = value;
      const about = document.createElement("span");
      about.className = "kb-sr-only";
      about.textContent = `: ${name}`;
      button.append("Filter weghalen", about);
      li.append(text, " ", button);
      noneList.append(li);
    }
  }
  if (noneList.children.length > 1) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button kb-none__remove";
    button.dataset.filter = "";
    button.textContent = "Alle filters weghalen";
    li.append(button);
    noneList.append(li);
  }
  noneFilters.hidden = noneList.children.length === 0;
  noneWordsList.replaceChildren();
  noneWords.hidden = true;
  const words = [...new Set(query.split(" ").filter((w) => w.replace(/[^\p{L}\p{N}]/gu, "").length > 2))];
  if (words.length < 2) return;
  const options = { filters: pagefindFilters(filters) };
  const found = await Promise.all(
    words.slice(0, 4).map(async (word) => [word, (await pagefind.search(word, options)).results.length]),
  );
  if (mine !== sequence) return;
  for (const [word, n] of found.filter(([, n]) => n > 0)) {
    const params = new URLSearchParams({ q: word });
    for (const [facet, values] of Object.entries(filters)) {
      for (const value of values) params.append(facet, value);
    }
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `?${params}`;
    a.textContent = `Zoek alleen op "${word}"`;
    li.append(a, ` (${plural(n, "resultaat", "resultaten")})`);
    noneWordsList.append(li);
  }
  noneWords.hidden = noneWordsList.children.length === 0;
}

// "Filter weghalen" (data-filter "": all of them), then the focus goes to what is next:
// another such button, else the first result, else the search field.
function untick(facet, value) {
  for (const box of form.querySelectorAll("fieldset input:checked")) {
    if (box.value && (!facet || (box.name === facet && box.value === value))) {
      box.checked = false;
      const all = form.querySelector(`fieldset[data-one] input[name="${box.name}"][value=""]`);
      if (all) all.checked = true;
    }
  }
}

function removeFilter(facet, value) {
  untick(facet, value);
  run().then(() => {
    const next = (!none.hidden && noneList.querySelector("button")) || list.querySelector("a");
    (next || input).focus();
  });
}

// "Ook gezocht op: Austerlitz" (for "austerliz"), spoken with the number of results.
function corrections() {
  if (!lastCorrected.length) return "";
  return ` Ook gezocht op: ${lastCorrected.map(([, meant]) => meant).join(", ")}.`;
}

function showRewrite(expanded) {
  rewriteNote.hidden = !expanded;
  if (!expanded) return;
  const said = expanded.used.map(([typed, meant]) => `"${meant}" (voor "${typed}")`);
  rewriteNote.textContent = `Ook gezocht op ${said.join(" en ")}.`;
}

// Counts per option for this query: Pagefind counts every loaded filter. For a facet
// with choices, count as if that facet's own choices were not made.
async function countsFor(query, expanded, filters, search) {
  const counts = { ...search.filters };
  await Promise.all(
    Object.keys(filters).map(async (facet) => {
      const [other] = await searchAll(query, expanded, {
        filters: pagefindFilters(filters, facet),
      });
      counts[facet] = other.filters[facet] || {};
    }),
  );
  return counts;
}

// data-state on the form: "bezig" while a search runs, "klaar" when its answer and the
// counts are shown.
async function run() {
  const mine = ++sequence;
  form.dataset.state = "bezig";
  const query = cleanQuery(input.value);
  const filters = selected();
  running = JSON.stringify([query, filters]);
  writeAddress(query, filters);
  const hasFilters = Object.keys(filters).length > 0;
  // A search of very common words can take a second: say that it is busy.
  let answered = false;
  const busy = setTimeout(() => {
    if (mine === sequence && !answered) status.textContent = "Bezig met zoeken…";
  }, 300);
  try {
    list.replaceChildren();
    results = [];
    shown = 0;
    none.hidden = true;
    more.hidden = true;
    if (!query && !hasFilters) {
      showRewrite(null);
      drawFilters(DATA.totals, filters); // no search: the counts over all cases
      status.textContent = "Typ een zoekwoord of kies een filter.";
      return;
    }
    const expanded = expand(query);
    const options = { filters: pagefindFilters(filters) };
    if (!query) options.sort = { datum: "desc" };
    const counted = filtersReady; // this search counts per option too
    let [search, widened] = await searchAll(query, expanded, options, counted);
    if (mine !== sequence) return;
    results = search.results;
    showRewrite(widened ? expanded : null);
    if (!counted) drawFilters(null, filters);
    answered = true;
    if (!results.length) {
      status.textContent =
        (query
          ? `Niets gevonden voor "${query}"${hasFilters ? " met deze filters" : ""}.`
          : "Niets gevonden met deze filters.") + corrections();
      await showNone(mine, query, filters);
      if (mine !== sequence) return;
      none.hidden = false;
    } else {
      const complete = results.filter((r) => !r.missing).length;
      status.textContent =
        plural(results.length, "resultaat gevonden", "resultaten gevonden") +
        (query ? ` voor "${query}"` : "") +
        (hasFilters ? " met de gekozen filters" : "") +
        "." +
        (complete === results.length
          ? ""
          : complete
            ? ` Bovenaan ${plural(complete, "resultaat", "resultaten")} met al uw woorden, daarna resultaten met de meeste woorden.`
            : " Geen resultaat heeft al uw woorden: eerst de resultaten met de meeste woorden.") +
        corrections();
      await showMore(mine);
    }
    // A newer search makes this one's counts useless: it stops here, before asking
    // Pagefind again (its searches would hold up the newer one's).
    if (mine !== sequence) return;
    if (!counted) {
      // Once: the counts need every filter file; then this search again, with counts.
      filtersLoaded ||= pagefind.filters().then(() => (filtersReady = true));
      await filtersLoaded;
      if (mine !== sequence) return;
      [search] = await searchAll(query, expanded, options);
      if (mine !== sequence) return;
    }
    drawFilters(await countsFor(query, expanded, filters, search), filters);
  } catch (error) {
    if (mine !== sequence) return;
    console.warn("Zoeken mislukt", error);
    status.textContent = "Zoeken is mislukt. Probeer het opnieuw met andere woorden.";
  } finally {
    clearTimeout(busy);
    if (mine === sequence) form.dataset.state = "klaar";
  }
}

// Search while typing, once the reader pauses. Not for one or two letters: Pagefind
// matches word starts, so "de" would fetch the index of every word that starts so.
function later() {
  clearTimeout(timer);
  const query = cleanQuery(input.value);
  // The first finished content words load their parts of the index while the reader
  // types on (not more: of a long question only the most telling words are asked).
  if (pagefind && /\s$/.test(input.value)) {
    const words = contentWords(query).filter((w) => !IGNORE.has(fold(w)));
    for (const word of words) isIndexed(word); // the word list, should it be a typo
    for (const word of words.slice(0, FIRST - 1)) {
      if (fold(word).length > 2 && !preloaded.has(fold(word))) {
        preloaded.add(fold(word));
        pagefind.preload(word).catch(() => {});
      }
    }
  }
  if (query && query.replace(/[^\p{L}\p{N}]/gu, "").length < 3) return;
  timer = setTimeout(run, 400);
}

async function start() {
  const state = readAddress();
  input.value = state.query;
  // The chosen boxes exist before the first answer.
  const empty = !state.query && !Object.keys(state.filters).length;
  drawFilters(empty ? DATA.totals : null, state.filters);
  // On a phone the filters start folded (the page is sent with them folded, so nothing
  // below them jumps when the script runs): the summary says how many are chosen. On a
  // wide screen they are a side column, always open.
  if (!window.matchMedia("(max-width: 59.984375em)").matches) details.open = true;
  try {
    // A large site has its index in parts (pagefind/delen.json): Pagefind scores each
    // part alone, which is much faster for common words, and merges the results.
    const parts = fetch(new URL("../../pagefind/delen.json", import.meta.url))
      .then((r) => (r.ok ? r.json() : []))
      .catch(() => []);
    pagefind = await import(new URL("../../pagefind/pagefind.js", import.meta.url).href);
    const settings = { baseUrl: new URL("../../", import.meta.url).pathname, excerptLength: 24 };
    await pagefind.options(settings);
    await pagefind.init();
    await Promise.all(
      (await parts).map((part) =>
        pagefind.mergeIndex(new URL(`../../pagefind/${part}`, import.meta.url).pathname, settings),
      ),
    );
    // Load the search code and the page list now, while the reader reads or types.
    pagefind.preload(" ").then(() => (form.dataset.index = "klaar"));
  } catch (error) {
    console.warn("Zoekindex niet geladen", error);
    status.textContent = "De zoekfunctie kon niet worden geladen. Probeer de pagina opnieuw.";
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    // Enter after a pause: the search of these words is under way already.
    if (form.dataset.state === "bezig" && running === JSON.stringify([cleanQuery(input.value), selected()])) return;
    run();
  });
  input.addEventListener("input", later);
  form.addEventListener("change", (event) => {
    if (event.target.type === "checkbox" || event.target.type === "radio") run();
  });
  clear.addEventListener("click", () => {
    untick("");
    run();
    input.focus();
  });
  list.addEventListener("click", (event) => {
    const button = event.target.closest(".kb-copy__button");
    if (button) copy(button);
  });
  noneList.addEventListener("click", (event) => {
    const button = event.target.closest(".kb-none__remove");
    if (button) removeFilter(button.dataset.filter, button.dataset.value);
  });
  more.addEventListener("click", () => {
    const first = list.children.length;
    showMore(sequence).then(() => list.children[first]?.querySelector("a")?.focus());
  });
  await run();
  if (empty) input.focus();
}

start();
