// The front end of nnlite.courier.Courier (an anywidget ES module, loaded from a blob: URL, offline).
// One per kernel and never shown: it lives with its model. The kernel sends it the new states of all the
// widgets a move changed, {states: {model_id: {trait: value}}} (plain values only: nothing to deserialize).
// They are set here together, in one task, once every update already on its way to those models has been
// applied (a model applies its own messages in a chain, state_change), and one message after another, in
// the order they came. The kernel already holds these values: nothing is sent back. Then it tells the
// kernel that it listens, so that the kernel sends nothing before it can.
export default {
  initialize({ model }) {
    let chain = Promise.resolve();
    model.on("msg:custom", (msg) => {
      if (!msg || !msg.states) return;
      chain = chain.then(async () => {
        const ids = Object.keys(msg.states);
        const found = await Promise.allSettled(ids.map((id) => model.widget_manager.get_model(id)));
        const models = found.map((result) => (result.status === "fulfilled" ? result.value : null));
        await Promise.all(models.map((m) => m && m.state_change));
        models.forEach((m, i) => {
          if (m) m.set_state(msg.states[ids[i]]);
          else console.warn(`nnlite courier: no widget ${ids[i]} on this page`);
        });
      }).catch((error) => console.error("nnlite courier:", error));
    });
    model.send({ ready: true });
  },
};
