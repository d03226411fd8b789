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
const DATA = JSON.parse(document.getElementById("kb-search-data").textContent);
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
const fieldsets = [...form.querySelectorAll("fieldset[data-filter]")];
const FACETS = fieldsets.map((f) => f.dataset.filter);

let pagefind = null;
let filtersLoaded = null; // a promise, once the filter files are asked for
let results = [];
let shown = 0;
let sequence = 0;
let timer = 0;

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

// One search for the words as typed; when that finds few cases, united with one for
// the words with synonyms replaced: typed-word hits first. The counts per option stay
// exact: |A or B| = |A| + |B| - |A and B|, and "A and B" is one search with both sets
// of words. Returns the search and whether the synonyms were used.
async function searchAll(query, expanded, options) {
  const typed = await pagefind.search(query || null, options);
  if (!expanded || typed.results.length >= FEW) return [typed, false];
  const [other, both] = await Promise.all([
    pagefind.search(expanded.text, options),
    pagefind.search(`${query} ${expanded.text}`, options),
  ]);
  const seen = new Set(typed.results.map((r) => r.id));
  const results = [...typed.results, ...other.results.filter((r) => !seen.has(r.id))];
  const filters = {};
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
    if (values.length) filters[facet] = values;
  }
  return { query: cleanQuery(params.get("q")), filters };
}

function selected() {
  const filters = {};
  for (const fieldset of fieldsets) {
    const values = [...fieldset.querySelectorAll("input:checked")].map((i) => i.value);
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

// The options of every facet with the number of cases each gives next to the other
// facets' choices (so counts within an OR facet stay useful). counts === null: not
// known yet; the options stay, without numbers.
function drawFilters(counts, filters) {
  let active = 0;
  for (const fieldset of fieldsets) {
    const facet = fieldset.dataset.filter;
    const chosen = new Set(filters[facet] || []);
    active += chosen.size;
    const options = counts ? counts[facet] || {} : DATA.totals[facet] || {};
    const values = Object.keys(DATA.totals[facet] || {});
    for (const value of [...Object.keys(options), ...chosen]) {
      if (!values.includes(value)) values.push(value);
    }
    values.sort((a, b) => label(facet, a).localeCompare(label(facet, b), "nl"));
    const ul = fieldset.querySelector("ul");
    const focused = document.activeElement;
    const focusValue = focused && ul.contains(focused) ? focused.value : null;
    ul.replaceChildren();
    for (const [index, value] of values.entries()) {
      const count = options[value] || 0;
      const id = `kb-f-${facet}-${index}`;
      const li = document.createElement("li");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = id;
      box.name = facet;
      box.value = value;
      box.checked = chosen.has(value);
      if (counts && !count && !box.checked) li.className = "kb-filter__empty";
      const text = document.createElement("label");
      text.htmlFor = id;
      text.append(label(facet, value) + " ");
      if (counts) {
        const badge = document.createElement("span");
        badge.className = "kb-filter__count";
        badge.textContent = String(count);
        badge.setAttribute("aria-label", plural(count, "casus", "casussen"));
        text.append(badge);
      }
      li.append(box, text);
      ul.append(li);
      if (focusValue === value) box.focus();
    }
    fieldset.hidden = values.length === 0;
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
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

async function showMore(mine) {
  const slice = results.slice(shown, shown + PAGE);
  const data = await Promise.all(slice.map((r) => r.data()));
  if (mine !== sequence) return;
  for (const item of data) {
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
    list.append(li);
  }
  shown += slice.length;
  more.hidden = shown >= results.length;
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
    let [search, widened] = await searchAll(query, expanded, options);
    if (mine !== sequence) return;
    results = search.results;
    showRewrite(widened ? expanded : null);
    if (!filtersLoaded) drawFilters(null, filters);
    answered = true;
    if (!results.length) {
      status.textContent = query
        ? `Niets gevonden voor "${query}"${hasFilters ? " met deze filters" : ""}.`
        : "Niets gevonden met deze filters.";
      none.hidden = false;
    } else {
      status.textContent =
        plural(results.length, "resultaat gevonden", "resultaten gevonden") +
        (query ? ` voor "${query}"` : "") +
        (hasFilters ? " met de gekozen filters" : "") +
        ".";
      await showMore(mine);
    }
    if (!filtersLoaded) {
      filtersLoaded = pagefind.filters(); // once: the counts need every filter file
      await filtersLoaded;
      [search] = await searchAll(query, expanded, options);
    } else {
      await filtersLoaded;
    }
    if (mine !== sequence) return;
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
  if (query && query.replace(/[^\p{L}\p{N}]/gu, "").length < 3) return;
  timer = setTimeout(run, 400);
}

async function start() {
  const state = readAddress();
  input.value = state.query;
  // The chosen boxes exist before the first answer.
  const empty = !state.query && !Object.keys(state.filters).length;
  drawFilters(empty ? DATA.totals : null, state.filters);
  // On a phone the filters start folded: the summary says how many are chosen.
  if (window.matchMedia("(max-width: 59.984375em)").matches) details.open = false;
  try {
    pagefind = await import(new URL("../../pagefind/pagefind.js", import.meta.url).href);
    await pagefind.options({
      baseUrl: new URL("../../", import.meta.url).pathname,
      excerptLength: 24,
    });
    await pagefind.init();
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
    run();
  });
  input.addEventListener("input", later);
  form.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") run();
  });
  clear.addEventListener("click", () => {
    for (const box of form.querySelectorAll("fieldset input:checked")) box.checked = false;
    run();
    input.focus();
  });
  more.addEventListener("click", () => {
    const first = list.children.length;
    showMore(sequence).then(() => list.children[first]?.querySelector("a")?.focus());
  });
  await run();
  if (empty) input.focus();
}

start();
