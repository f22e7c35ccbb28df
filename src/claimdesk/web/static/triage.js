// Keyboard triage for the review queue (/queue) and for a claim opened from it
// (/claims/ID/SEQ?queue=...). The keys are listed on both pages; every action is a
// plain link or form of the page, so the desk works the same without this file.
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function plain(event) {
    return !event.altKey && !event.metaKey && !event.ctrlKey;
  }

  function queuePage(form) {
    var items = Array.prototype.slice.call(form.querySelectorAll(".queue-item"));
    var current = 0;
    function show(i) {
      if (!items.length) return;
      current = Math.max(0, Math.min(items.length - 1, i));
      items.forEach(function (item, n) {
        item.classList.toggle("current", n === current);
        if (n === current) item.setAttribute("aria-current", "true"); else item.removeAttribute("aria-current");
      });
      items[current].scrollIntoView({block: "nearest"});
    }
    function act(value) {
      if (!items.length) return;
      var picked = form.querySelectorAll("input[name=claim]:checked");
      if (!picked.length) items[current].querySelector("input[name=claim]").checked = true;
      var button = form.querySelector("button[name=action][value='" + value + "']");
      if (button) form.requestSubmit(button);
    }
    show(0);
    document.addEventListener("keydown", function (event) {
      if (typing(event) || !plain(event)) return;
      var key = event.key;
      if (key === "j") show(current + 1);
      else if (key === "k") show(current - 1);
      else if ((key === "o" || key === "Enter") && items.length) window.location.href = items[current].querySelector("a.open").href;
      else if (key === "x" && items.length) {
        var box = items[current].querySelector("input[name=claim]");
        box.checked = !box.checked;
      } else if (key === "n") act("not-a-claim");
      else if (key === "m") act("assign");
      else if (key === "/") {
        var first = document.querySelector("form.filters input, form.filters select");
        if (first) first.focus();
      } else return;
      event.preventDefault();
    });
  }

  function claimPage(bar) {
    var review = document.querySelector("form.review-form");
    var rating = document.getElementById("review-rating");
    var rationale = document.getElementById("review-rationale");
    var notClaim = document.querySelector("form.not-a-claim");
    document.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "Enter" && event.ctrlKey && review) {  // save, even from the rationale
        review.requestSubmit();
        event.preventDefault();
        return;
      }
      if (typing(event) || !plain(event)) return;
      if (/^[1-9]$/.test(key) && rating) {
        var options = Array.prototype.filter.call(rating.options, function (o) { return o.value && !o.disabled; });
        var chosen = options[Number(key) - 1];
        if (!chosen) return;
        rating.value = chosen.value;
        rating.dispatchEvent(new Event("change", {bubbles: true}));
      } else if (key === "e" && rationale) rationale.focus();
      else if (key === "s" && review) review.requestSubmit();
      else if (key === "n" && notClaim) notClaim.requestSubmit();
      else if (key === "ArrowRight" && bar.dataset.skip) window.location.href = bar.dataset.skip;
      else if (key === "q" && bar.dataset.back) window.location.href = bar.dataset.back;
      else return;
      event.preventDefault();
    });
  }

  var queue = document.getElementById("queue");
  if (queue) queuePage(queue);
  var bar = document.getElementById("triage");
  if (bar) claimPage(bar);
})();
