// Fills the status page from GET /v1/status (served by the same origin, so no CORS).
(async () => {
  const summary = document.getElementById("summary");
  const details = document.getElementById("details");
  try {
    const response = await fetch("/v1/status");
    const status = await response.json();
    if (!response.ok) throw new Error(status.error || response.statusText);
    summary.textContent = status.collection_open
      ? `Running, connected to profile “${status.profile}”.`
      : "Running, but no profile is open.";
    const rows = { Version: status.version, ...(status.counts || {}) };
    for (const [name, value] of Object.entries(rows)) {
      const dt = document.createElement("dt");
      dt.textContent = name;
      const dd = document.createElement("dd");
      dd.textContent = value;
      details.append(dt, dd);
    }
  } catch (error) {
    summary.textContent = `Cannot read the status: ${error.message}`;
    summary.className = "error";
  }
})();
