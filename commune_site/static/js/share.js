/* The "Chia sẻ" button: the phone's share sheet where the browser has the Web Share API,
   else the link copied (Clipboard API, else selecting the text field and copying it), with
   a message saying so. Zalo's and Facebook's in-app browsers often have neither API: the
   field is then selected for the buyer to copy. Without JavaScript the field and a Facebook
   link are shown and the button stays hidden. See docs/sharing.md. */
(function () {
  "use strict";

  function say(box, text) {
    var status = box.querySelector(".share__status");
    status.textContent = "";
    // A fresh text node each time, so a screen reader announces a repeated message too.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function selectField(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }

  function copyBySelecting(box, field) {
    selectField(field);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(box, copied ? box.dataset.shareCopied : box.dataset.shareSelect);
  }

  function copy(box, field) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { say(box, box.dataset.shareCopied); },
        function () { copyBySelecting(box, field); }
      );
    } else {
      copyBySelecting(box, field);
    }
  }

  function share(box, field) {
    var data = {
      title: box.dataset.shareTitle,
      text: box.dataset.shareText,
      url: box.dataset.shareUrl
    };
    if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
      navigator.share(data).catch(function (error) {
        // The buyer closed the share sheet: nothing to do. Anything else: copy instead.
        if (!error || error.name !== "AbortError") {
          copy(box, field);
        }
      });
    } else {
      copy(box, field);
    }
  }

  document.querySelectorAll(".share").forEach(function (box) {
    var button = box.querySelector(".share__button");
    var field = box.querySelector(".share__link");
    button.hidden = false;
    box.classList.add("share--enhanced");
    button.addEventListener("click", function () { share(box, field); });
    field.addEventListener("focus", function () { field.select(); });
  });
})();
