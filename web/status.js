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
    ...Object.entries(body.counts || {}),
    ["Markdown folder", body.markdown_folder ?? "none set"],
    ["Last folder sync", body.last_sync ?? "none since Anki started"],
    ["Web pages allowed", (body.allowed_origins || []).join(", ") || "none besides extensions and local pages"],
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

function reference(doc) {
  const out = $("reference");
  out.replaceChildren();
  for (const [path, methods] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(methods)) {
      const h = document.createElement("h3");
      h.innerHTML = `<span class="method"></span> <code></code>`;
      h.firstChild.textContent = method.toUpperCase();
      h.lastChild.textContent = path;
      const p = document.createElement("p");
      p.textContent = [op.summary, op.description].filter(Boolean).join(" — ");
      out.append(h, p);
    }
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
