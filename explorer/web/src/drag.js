// Dragging a node without a GPU. Cytoscape's canvas renderer draws the
// picture on two layers: the node layer (everything at rest) and the drag
// layer (the dragged node, its relations and, by default, its neighbours).
// Every mouse move of a drag changes the dragged node's bounds, and the
// renderer then redraws both layers, although nothing on the node layer
// moved: in a software-rendered picture of 2,000 nodes that redraw is most
// of each frame. fastDrag makes such a move redraw the drag layer only;
// in big pictures it leaves the neighbours of the dragged node on the node
// layer (they do not move; only its relations do), so a frame draws the
// dragged node and its relations and nothing else; and it draws those
// relations straight away, without the bounding boxes (five per relation,
// recomputed on every frame since its end moved) that the renderer's
// texture caches ask for and that do not cache lines anyway. The cost:
// while a node of a big picture is dragged, its relations are drawn over
// its neighbours instead of under them.
//
// This leans on the canvas renderer's internals (cytoscape 3.35, pinned in
// explorer/build/package-lock.json): renderer.notify, the canvasNeedsRedraw
// flags, hoverData.draggingEles, rscratch.inDragLayer,
// updateCachedGrabbedEles, drawCachedElements and drawEdge. If a newer cytoscape lacks any of them, fastDrag
// changes nothing and returns false: dragging then works as cytoscape draws
// it, only slower.

/**
 * fastDrag patches cy's renderer as described above; big() says whether
 * the picture is big enough to leave neighbours on the node layer. It
 * returns whether the renderer could be patched.
 */
export function fastDrag(cy, big) {
  const r = cy.renderer();
  if (
    !r || typeof r.notify !== 'function' || typeof r.updateCachedGrabbedEles !== 'function' ||
    typeof r.drawCachedElements !== 'function' || typeof r.drawCachedElement !== 'function' || typeof r.drawEdge !== 'function' ||
    !r.data || !Array.isArray(r.data.canvasNeedsRedraw) || !Array.isArray(r.data.contexts) ||
    typeof r.NODE !== 'number' || typeof r.DRAG !== 'number' || !r.hoverData
  ) {
    return false;
  }

  // A change of bounds of drag-layer elements only, during a drag: the node
  // layer keeps what it has (the renderer redrew it without the drag layer
  // when the drag began); any other change still redraws it.
  const notify = r.notify;
  r.notify = function (name, eles) {
    if (name !== 'bounds' || !this.hoverData.draggingEles || !eles || eles.length === 0) return notify.call(this, name, eles);
    for (let i = 0; i < eles.length; i++) {
      if (!eles[i]._private.rscratch.inDragLayer && !eles[i].grabbed()) return notify.call(this, name, eles);
    }
    const need = this.data.canvasNeedsRedraw;
    const before = need[this.NODE];
    notify.call(this, name, eles);
    need[this.NODE] = before;
    return undefined;
  };

  // In big pictures the neighbours of a dragged node stay on the node layer.
  const split = r.updateCachedGrabbedEles;
  r.updateCachedGrabbedEles = function () {
    split.call(this);
    const eles = this.cachedZSortedEles;
    if (!eles || !eles.drag || !big()) return;
    let moved = false;
    for (const e of eles.drag) {
      if (e.isNode() && !e.grabbed()) {
        e._private.rscratch.inDragLayer = false;
        moved = true;
      }
    }
    if (!moved) return;
    eles.drag = eles.drag.filter((e) => e._private.rscratch.inDragLayer || e.grabbed());
    eles.nondrag = eles.filter((e) => !e._private.rscratch.inDragLayer && !e.grabbed());
  };
  // During a drag, the drag layer's relations are drawn directly.
  const drawCached = r.drawCachedElements;
  r.drawCachedElements = function (context, eles, pxRatio, extent) {
    if (!this.hoverData.draggingEles || context !== this.data.contexts[this.DRAG]) return drawCached.call(this, context, eles, pxRatio, extent);
    for (let i = 0; i < eles.length; i++) {
      const e = eles[i];
      if (e.isEdge()) this.drawEdge(context, e);
      else this.drawCachedElement(context, e, pxRatio, extent);
    }
    return undefined;
  };
  return true;
}
