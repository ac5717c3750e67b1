% rebase('base.tpl', title='Hello ' + name)
<h1>{{greeting}}, {{name}}!</h1>
