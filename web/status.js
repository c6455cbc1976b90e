// Fills the status page. /v1/server and /v1/openapi.json need no key; the rest is read
// with the key the user types here (kept for this tab only).
const $ = (id) => document.getElementById(id);

function rows(list, entries) {
  list.replaceChildren();
  for (const [name, value] of entries) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }
}

// One row per deck folder or vault: where, whether it is watched, its last sync.
function syncedFolders(syncs) {
  if (!syncs.length) return [["Markdown folder", "none set"]];
  return syncs.map((sync) => {
    const last = sync.last_sync;
    const when = last ? `last sync ${last.time.slice(11, 16)}: ${last.outcome}` : "no sync yet";
    const watched = sync.watching ? "watched" : "not watched";
    return [sync.kind === "vault" ? "Vault" : "Markdown folder", `${sync.path} (${watched}; ${when})`];
  });
}

async function getJson(path) {
  const key = sessionStorage.getItem("cc-key");
  const response = await fetch(path, { headers: key ? { "X-Api-Key": key } : {} });
  const body = await response.json();
  return { ok: response.ok, status: response.status, body };
}

async function showDetails() {
  const { ok, status, body } = await getJson("/v1/status");
  if (status === 401) {
    $("key-form").hidden = false;
    return;
  }
  if (!ok) throw new Error(body.error || status);
  $("key-form").hidden = true;
  $("details").hidden = false;
  $("summary").textContent = body.collection_open
    ? `Running, connected to profile “${body.profile}”.`
    : "Running, but no profile is open in Anki.";
  rows($("collection"), [
    ["Profile", body.profile ?? "none open"],
    ...Object.entries(body.counts || {}).map(([name, count]) => [name[0].toUpperCase() + name.slice(1), count]),
    ...syncedFolders(body.syncs || []),
    ["Web pages allowed", (body.allowed_origins || []).join(", ") || "none listed"],
    ["Extensions, local pages, Obsidian", body.allow_extensions ? "allowed without asking" : "only if listed"],
    ["Never asked again", (body.ignored_origins || []).join(", ") || "none"],
  ]);
  const tbody = $("recent").querySelector("tbody");
  tbody.replaceChildren();
  for (const item of body.recent_requests || []) {
    const tr = document.createElement("tr");
    for (const value of [item.time, item.client, item.request, item.result]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    tbody.append(tr);
  }
  if (!tbody.children.length) tbody.innerHTML = '<tr><td colspan="4" class="muted">none yet</td></tr>';
}

// The API reference, built from the OpenAPI document with text nodes only (no HTML
// from the document is interpreted).
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.append(...withCode(text));
  if (className) node.className = className;
  return node;
}

// `code` in the document's descriptions shown as code.
function withCode(text) {
  return String(text).split("`").map((part, i) => {
    if (i % 2 === 0) return part;
    const code = document.createElement("code");
    code.textContent = part;
    return code;
  });
}

function typeOf(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.oneOf) return schema.oneOf.map(typeOf).join(" or ");
  if (schema.type === "array") return `list of ${typeOf(schema.items)}`;
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  return schema.type || "any";
}

function schemaOf(content) {
  return content && content["application/json"] && content["application/json"].schema;
}

function reference(doc) {
  const out = $("reference");
  out.replaceChildren();
  for (const [path, methods] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(methods)) {
      const h = el("h3");
      h.append(el("span", method.toUpperCase(), "method"), " ", el("code", path));
      out.append(h, el("p", [op.summary, op.description].filter(Boolean).join(" — ")));
      const list = el("ul", undefined, "api");
      for (const param of op.parameters || []) {
        list.append(el("li", `${param.in} ${param.name}${param.required ? " (required)" : ""}: ${typeOf(param.schema)}${param.description ? " — " + param.description : ""}`));
      }
      const body = op.requestBody && schemaOf(op.requestBody.content);
      if (body) list.append(el("li", `body: ${typeOf(body)}`));
      for (const [code, response] of Object.entries(op.responses || {})) {
        const schema = schemaOf(response.content);
        list.append(el("li", `${code}: ${response.description || ""}${schema ? " (" + typeOf(schema) + ")" : ""}`));
      }
      if (list.children.length) out.append(list);
    }
  }
  const schemas = (doc.components && doc.components.schemas) || {};
  if (Object.keys(schemas).length) out.append(el("h3", "Objects"));
  for (const [name, schema] of Object.entries(schemas)) {
    out.append(el("h4", name), ...(schema.description ? [el("p", schema.description)] : []));
    const required = new Set(schema.required || []);
    const list = el("ul", undefined, "api");
    const properties = schema.properties || {};
    for (const [field, prop] of Object.entries(properties)) {
      const item = el("li");
      item.append(el("code", field), ...withCode(`${required.has(field) ? " (required)" : ""}: ${typeOf(prop)}${prop.description ? " — " + prop.description : ""}`));
      list.append(item);
    }
    if (!Object.keys(properties).length) list.append(el("li", typeOf(schema)));
    out.append(list);
  }
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("cc-key", $("key").value);
  showDetails().catch(fail);
});

function fail(error) {
  $("summary").textContent = `Cannot read the status: ${error.message}`;
  $("summary").className = "error";
}

(async () => {
  try {
    const { body: server } = await getJson("/v1/server");
    $("summary").textContent = "Running.";
    rows($("server"), [
      ["Address", `${location.origin}/`],
      ["AnkiConnect's port", server.anki_connect_port ?? "not held (AnkiConnect has it, or it is off)"],
      ["API key", server.key_required ? "required (Authorization: Bearer …, X-Api-Key or AnkiConnect's key)" : "not required"],
      ["Version", server.version],
    ]);
    await showDetails();
  } catch (error) {
    fail(error);
  }
  try {
    reference((await getJson("/v1/openapi.json")).body);
  } catch (error) {
    $("reference").textContent = `Cannot read the API description: ${error.message}`;
  }
})();
