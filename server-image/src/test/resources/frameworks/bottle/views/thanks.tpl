% rebase('base.tpl', title='Corral parity')
<p>Thanks, {{name}}.</p>
<ul>
% for colour in colours:
<li>{{colour}}</li>
% end
</ul>
