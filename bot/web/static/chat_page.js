() => {
  // Gradio gives the example questions role=list, but their children are buttons, not list items:
  // drop the role whenever Gradio renders them (WCAG 1.3.1), a workaround until Gradio fixes its markup.
  const fix = () => document.querySelectorAll("#cc-chatbot .examples[role=list]")
    .forEach((examples) => examples.removeAttribute("role"));
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  fix();
}
