/** @odoo-module ignore **/
// The public pages (intake, receipt, inbox), without any framework: they work
// without JavaScript, and this only adds to them.
// - A language of the switch, clicked on a page with a form, sends that form
//   back to the same page in that language (nothing is filed): what was typed
//   stays. Without JavaScript the link opens the empty page in that language.
// - The receipt code gets a copy button.
(function () {
    "use strict";

    function switchLanguage(event) {
        const link = event.target.closest("a[data-vp-update]");
        if (!link) {
            return;
        }
        const form = document.getElementById(link.dataset.vpForm);
        if (!form) {
            return;
        }
        event.preventDefault();
        form.action = link.dataset.vpUpdate;
        // Files stay out: they cannot be put back into the page.
        form.enctype = "application/x-www-form-urlencoded";
        form.noValidate = true;
        form.submit();
    }

    function copyCode(event) {
        const button = event.target.closest(".o_vp_receipt_copy");
        if (!button) {
            return;
        }
        const receipt = button.closest(".o_vp_receipt");
        const code = receipt.querySelector(".o_vp_receipt_code").textContent.trim();
        const status = receipt.querySelector(".o_vp_receipt_copied");
        const done = () => {
            status.textContent = button.dataset.copied;
        };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(code).then(done, () => fallbackCopy(code, done));
        } else {
            fallbackCopy(code, done);
        }
    }

    function fallbackCopy(text, done) {
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "absolute";
        area.style.left = "-9999px";
        document.body.appendChild(area);
        area.select();
        try {
            if (document.execCommand("copy")) {
                done();
            }
        } finally {
            area.remove();
        }
    }

    function start() {
        for (const button of document.querySelectorAll(".o_vp_receipt_copy")) {
            button.classList.remove("d-none");
        }
    }

    document.addEventListener("click", switchLanguage);
    document.addEventListener("click", copyCode);
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
