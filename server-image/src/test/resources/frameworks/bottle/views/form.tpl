% rebase('base.tpl', title='Corral parity')
<form method="post" action="/form">
  <input name="name">
  <label><input type="checkbox" name="colour" value="red"> red</label>
  <label><input type="checkbox" name="colour" value="blue"> blue</label>
  <button>Send</button>
</form>
