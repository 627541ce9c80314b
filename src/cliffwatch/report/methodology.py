"""Fixed methodology text of the report: what each figure means and how it is estimated."""

from __future__ import annotations

METHODOLOGY_HTML = """
<p>cliffwatch simulates every borrower month by month along correlated Monte Carlo paths of
SOFR, a credit-spread index, GPU rental prices and resale values, utilization, power prices,
the earnings of hyperscaler and AI-lab counterparties, and software budgets. In each month a
borrower earns contracted and merchant revenue, pays operating costs and debt service by
seniority, draws committed revolvers when short of cash, is tested on DSCR and LTV covenants,
and must refinance maturing balloons at then-current SOFR plus spread. A borrower defaults on
a missed payment, a covenant event of default or a failed refinancing; its collateral is sold
with a fire-sale haircut and the proceeds are paid by absolute priority. Losses are split to
lenders by their holdings.</p>
<ul>
<li><b>EL</b>: mean loss over the horizon across paths, with its Monte Carlo standard error.</li>
<li><b>VaR<sub>α</sub></b>: the α-quantile of the loss distribution; <b>ES<sub>α</sub></b>:
the mean loss in the worst 1−α of paths, with the tail fraction handled exactly.</li>
<li><b>Refinancing gap</b>: expected debt due that fails to refinance, with the 5th and 95th
percentiles across paths; <b>time to cliff</b>: the first month of a failed refinancing or
a DSCR below 1.0.</li>
<li><b>Contagion</b>: GPU units sold by defaulting borrowers depress next month's GPU values
against market depth; "on vs off" reruns the same paths without that feedback.</li>
<li><b>Risk contributions</b>: Euler allocation of each lender's ES99 to facilities (they sum
to the lender's ES99).</li>
<li><b>Sensitivities</b>: finite differences with common random numbers; <b>reverse
stress</b>: root-finding on the utilization or rent level at which a borrower defaults.</li>
</ul>
<p>Figures are estimates from a finite number of paths; read them with their standard
errors. Parameters and their sources are listed below.</p>
"""
