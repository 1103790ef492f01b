<?cs # contacts/merge_undo.cs — one merge and the confirmed undo. ?>
<?cs include:"macros.cs" ?>
<?cs def:page_body() ?>
<section class="confirm merge-undo">
  <h1><?cs var:Lang.Merge.UndoTitle ?></h1>
  <p><?cs var:MergeRec.at ?> · <?cs var:MergeRec.actor ?>: <a href="/contacts/<?cs var:MergeRec.merged_id ?>">#<?cs var:MergeRec.merged_id ?></a> <?cs var:Lang.HistoryAction.merged_into ?> <a href="/contacts/<?cs var:MergeRec.survivor_id ?>">#<?cs var:MergeRec.survivor_id ?></a>.</p>
  <?cs if:MergeRec.undone_at ?>
  <p class="notice"><?cs var:Lang.Merge.UndoneAt ?> <?cs var:MergeRec.undone_at ?></p>
  <?cs else ?>
  <p><?cs var:Lang.Merge.UndoText ?></p>
  <form method="post" action="/contacts/merges/<?cs var:MergeRec.id ?>/undo">
    <?cs call:csrf_field() ?>
    <p class="buttons"><button type="submit" id="merge-undo-submit"><?cs var:Lang.Merge.UndoConfirm ?></button> <a href="/contacts/<?cs var:MergeRec.survivor_id ?>"><?cs var:Lang.Contact.Cancel ?></a></p>
  </form>
  <?cs /if ?>
</section>
<?cs /def ?>
<?cs include:"layout.cs" ?>
