// The review checklist: a reason belongs to a "not OK" verdict. The reason list shows only the chosen verdict's
// reasons (none for "Sesuai" or "Tidak diperlukan"), and picking a reason sets its verdict. The server reads a
// posted row the same way (pencet/console/review.py), so the page without this script records the same thing.
(function () {
  "use strict";

  function sync(row) {
    const verdict = row.querySelector("select[data-verdict]");
    const reason = row.querySelector("select[data-reason]");
    if (!verdict || !reason) return;
    let any = false;
    reason.querySelectorAll("optgroup").forEach(function (group) {
      const mine = group.dataset.verdict === verdict.value;
      group.hidden = !mine;
      group.disabled = !mine;
      any = any || mine;
    });
    reason.hidden = !any;
    reason.disabled = !any;
    const chosen = reason.selectedOptions[0];
    if (chosen && chosen.parentElement.disabled) reason.value = "";
  }

  document.addEventListener("change", function (event) {
    const row = event.target.closest("tr");
    if (!row || !row.closest("form.checklist")) return;
    if (event.target.matches("select[data-reason]")) {
      const chosen = event.target.selectedOptions[0];
      const group = chosen && chosen.parentElement.closest("optgroup");
      if (group) row.querySelector("select[data-verdict]").value = group.dataset.verdict;
    }
    sync(row);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.checklist tr").forEach(sync);
  });
})();
