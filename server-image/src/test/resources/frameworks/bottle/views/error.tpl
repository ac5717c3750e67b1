% rebase('base.tpl', title=str(status))
<h1>{{status}}</h1><p>{{message}}</p>
