"""Oversight dashboards (看板): school, zone and county figures with drill-down and XLSX exports."""
