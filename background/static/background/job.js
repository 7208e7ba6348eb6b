// A job's page: ask how far the job is every 1.5 s and move the bar; once it has finished,
// show the page again with its outcome (the download, the import's figures or the error).
document.addEventListener("DOMContentLoaded", () => {
  const page = document.getElementById("job");
  if (!page || !page.dataset.statusUrl) return;
  const part = (name) => page.querySelector(`[data-job="${name}"]`);
  const show = (state) => {
    part("fill").style.width = `${state.percent}%`;
    part("bar").setAttribute("aria-valuenow", state.percent);
    part("progress").textContent = state.progress;
    part("stage").textContent = state.stage_label || state.status_label;
    const label = part("status").firstElementChild;
    if (label) label.textContent = state.status_label;
  };
  const poll = async () => {
    try {
      const response = await fetch(page.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const state = await response.json();
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A network hiccup: try again at the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1000);
});
