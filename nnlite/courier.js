// The front end of nnlite.courier.Courier (an anywidget ES module, loaded from a blob: URL, offline).
// One per kernel and never shown: it lives with its model. The kernel sends it the new states of all the
// widgets a move changed, {states: {model_id: {trait: value}}}; they are set here together, in one task,
// as each widget's own "update" message would set them (the kernel already holds these values: nothing is
// sent back). Then it tells the kernel it is ready, so that the kernel sends nothing before it can listen.
export default {
  initialize({ model }) {
    model.on("msg:custom", async (msg) => {
      if (!msg || !msg.states) return;
      const ids = Object.keys(msg.states);
      const models = await Promise.all(ids.map((id) => model.widget_manager.get_model(id)));
      models.forEach((widget, i) => widget.set_state(msg.states[ids[i]]));
    });
    model.send({ ready: true });
  },
};
