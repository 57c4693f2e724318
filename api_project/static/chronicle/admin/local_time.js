/* Beside every UTC date-and-time input of the admin, the same moment in the editor's own time:
 * "= 20:45 in your time (Europe/Rome)", with the date when it differs. Updated as the inputs
 * change (typing, the calendar and clock pickers, "Now"). The server never depends on it.
 */
"use strict";
(function () {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "your zone";

  // The admin's language, so the clock reads as the rest of the page (24-hour in en-gb).
  const locale = document.documentElement.lang || [];

  function parseDate(text, format) {
    const parts = text.trim().split(/[^0-9]+/).filter(Boolean);
    if (parts.length !== 3) {
      return null;
    }
    // The server takes an ISO date (2025-09-04) whatever the input format shown.
    const iso = /^\s*\d{4}-\d{1,2}-\d{1,2}\s*$/.test(text);
    const order = iso ? ["Y", "m", "d"] : (format.match(/%[dmYy]/g) || ["%Y", "%m", "%d"]).map((t) => t[1]);
    const value = {};
    order.forEach((token, i) => {
      value[token] = Number(parts[i]);
    });
    const year = value.Y || (value.y !== undefined ? 2000 + value.y : NaN);
    return [year, value.m, value.d];
  }

  function update(box) {
    const [dateInput, timeInput] = box.querySelectorAll("input");
    const out = box.querySelector(".local-time");
    if (!dateInput || !timeInput || !out) {
      return;
    }
    const date = parseDate(dateInput.value, box.dataset.dateFormat || "%Y-%m-%d");
    const time = timeInput.value.trim().split(":").map(Number);
    if (!date || date.some(Number.isNaN) || time.length < 2 || time.some(Number.isNaN)) {
      out.textContent = "";
      return;
    }
    const moment = new Date(Date.UTC(date[0], date[1] - 1, date[2], time[0], time[1], time[2] || 0));
    if (Number.isNaN(moment.getTime())) {
      out.textContent = "";
      return;
    }
    const clock = moment.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
    const sameDay = moment.getDate() === date[2] && moment.getMonth() === date[1] - 1;
    const day = sameDay
      ? ""
      : ` ${moment.toLocaleDateString(locale, { weekday: "short", day: "numeric", month: "short" })}`;
    out.textContent = `= ${clock}${day} in your time (${zone})`;
  }

  function updateAll() {
    document.querySelectorAll("[data-utc-time]").forEach(update);
  }

  function watch() {
    updateAll();
    ["input", "change"].forEach((type) =>
      document.addEventListener(type, (event) => {
        const box = event.target.closest && event.target.closest("[data-utc-time]");
        if (box) {
          update(box);
        }
      })
    );
    // The calendar, the clock and "Now" set the value without an input event.
    document.addEventListener("click", () => window.setTimeout(updateAll, 0));
    document.addEventListener("formset:added", updateAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
